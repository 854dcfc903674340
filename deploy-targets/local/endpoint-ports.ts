import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { ServingSlot } from '../../core/deployments/deploy-target.port.js';
import { silentLogger, type Logger } from '../../core/logger.port.js';

/** The two loopback ports of one model and environment: the stable endpoint (live colour) and its preview (idle colour). */
export interface SlotPorts {
  endpoint: number;
  preview: number;
}

const fileSchema = z.object({
  formatVersion: z.literal(1),
  slots: z.array(z.object({ model: z.string().min(1), env: z.string().min(1), endpoint: z.number().int().min(1).max(65535), preview: z.number().int().min(1).max(65535) })),
});
type EndpointsFile = z.infer<typeof fileSchema>;

const sameSlot = (a: ServingSlot, b: ServingSlot) => a.model === b.model && a.env === b.env;

/**
 * Which ports each slot's routers use, kept in `<dataDir>/deploy/local-endpoints.json` so an
 * endpoint a client was given keeps its address across opsbot restarts. Written to a temporary
 * file and renamed over the old one, so a crash mid-write never leaves half a file.
 */
export class EndpointPorts {
  private constructor(
    private readonly file: string,
    private readonly state: EndpointsFile,
  ) {}

  /** Reads the file; a missing one is empty, an unreadable one is set aside (logged) and started afresh. */
  static async open(file: string, log: Logger = silentLogger): Promise<EndpointPorts> {
    let text: string | undefined;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (text === undefined) return new EndpointPorts(file, { formatVersion: 1, slots: [] });
    const parsed = (() => {
      try {
        return fileSchema.safeParse(JSON.parse(text));
      } catch {
        return undefined;
      }
    })();
    if (parsed?.success) return new EndpointPorts(file, parsed.data);
    const aside = `${file}.unreadable-${Date.now()}`;
    await rename(file, aside);
    log.warn({ file, movedTo: aside }, 'the local deploy endpoints file could not be read; endpoints get new ports');
    return new EndpointPorts(file, { formatVersion: 1, slots: [] });
  }

  get(slot: ServingSlot): SlotPorts | undefined {
    const entry = this.state.slots.find((s) => sameSlot(s, slot));
    return entry && { endpoint: entry.endpoint, preview: entry.preview };
  }

  /** Ports some slot holds (whether its router runs now or not): never handed to another slot. */
  taken(except?: ServingSlot): Set<number> {
    return new Set(this.state.slots.filter((s) => !except || !sameSlot(s, except)).flatMap((s) => [s.endpoint, s.preview]));
  }

  async assign(slot: ServingSlot, ports: SlotPorts): Promise<void> {
    const others = this.state.slots.filter((s) => !sameSlot(s, slot));
    this.state.slots = [...others, { model: slot.model, env: slot.env, ...ports }];
    await mkdir(dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${randomUUID()}.tmp`;
    await writeFile(temporary, `${JSON.stringify(this.state, null, 2)}\n`);
    await rename(temporary, this.file);
  }
}
