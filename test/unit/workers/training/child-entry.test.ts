import { childEntry, siblingModule } from '../../../../workers/training/worker/child-entry.js';

describe('the training process entry, compiled and from source', () => {
  it('is the .js next to a compiled caller, and the .ts next to a source one', () => {
    expect(siblingModule('file:///opt/opsbot/dist/workers/training/worker/run-training-process.js', './training-process').href).toBe(
      'file:///opt/opsbot/dist/workers/training/worker/training-process.js',
    );
    expect(siblingModule('file:///src/opsbot/workers/training/worker/run-training-process.ts', './training-process').href).toBe(
      'file:///src/opsbot/workers/training/worker/training-process.ts',
    );
  });

  it('forks a .js entry as it is, without tsx', () => {
    expect(childEntry(new URL('file:///opt/opsbot/dist/workers/training/worker/training-process.js'))).toEqual({
      file: '/opt/opsbot/dist/workers/training/worker/training-process.js',
      args: [],
    });
  });

  it('forks a .ts entry through the tsx bootstrap, handing it the entry URL', () => {
    const entry = new URL('file:///src/opsbot/workers/training/worker/training-process.ts');
    const { file, args } = childEntry(entry);
    expect(file).toMatch(/workers\/training\/worker\/tsx-child\.mjs$/);
    expect(args).toEqual([entry.href]);
  });
});
