import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AIMessageChunk } from '@langchain/core/messages';
import { FakeListChatModel, FakeStreamingChatModel } from '@langchain/core/utils/testing';
import { llmConfigSchema, llmSettingsFromEnv } from '../../../core/config/llm.schema.js';
import { createUnderstander, type LlmInterpreter, type UnderstandContext } from '../../../intents/index.js';
import { createChatModel, createLangchainInterpreter } from '../../../intents/llm/index.js';

const limits = { environments: ['dev', 'staging', 'prod'], maxReplicas: 50, maxEpochs: 1000, maxGpus: 8 };
const base: UnderstandContext = {
  limits,
  environments: [
    { name: 'dev', aliases: ['development'] },
    { name: 'staging', aliases: ['stage', 'stg'] },
    { name: 'prod', aliases: ['production', 'prd'] },
  ],
  knownModels: ['fraud', 'churn'],
};

/** A fake chat model that answers every message with this tool call (LangChain's own fake, bindTools included). */
function toolCalling(name: string, args: Record<string, unknown>): LlmInterpreter {
  const model = new FakeStreamingChatModel({ chunks: [new AIMessageChunk({ content: '', tool_calls: [{ name, args, id: 'call_1', type: 'tool_call' }] })] });
  return createLangchainInterpreter(model, { limits, environments: ['dev', 'staging', 'prod'] });
}

/** A sentence the intent model is unsure of (no word says what to do), so it goes to the LLM. */
const UNSURE = 'churn in prod';

describe('the LLM path (LangChain fake chat models)', () => {
  it('sends a sentence the intent model is unsure of to the LLM, whose valid tool call becomes the action', async () => {
    const understander = createUnderstander({ ...base, llm: toolCalling('rollback', { model: 'churn', env: 'prod' }) });
    const u = await understander.understand(UNSURE);
    expect(u).toMatchObject({ kind: 'action', source: 'llm', action: { action: 'rollback', args: { model: 'churn', env: 'prod' } }, command: 'rollback churn in prod' });
  });

  it('reports an invalid tool call with the validation message, never runs it', async () => {
    const understander = createUnderstander({ ...base, llm: toolCalling('scale', { model: 'churn', env: 'prod', replicas: 500 }) });
    expect(await understander.understand(UNSURE)).toMatchObject({ kind: 'invalid', source: 'llm', message: 'replicas must be between 0 and 50' });
  });

  it('reports a tool opsbot does not have', async () => {
    const understander = createUnderstander({ ...base, llm: toolCalling('drop_database', {}) });
    expect(await understander.understand(UNSURE)).toMatchObject({ kind: 'invalid', source: 'llm', message: expect.stringMatching(/"drop_database", which is no opsbot command/) });
  });

  it('never takes an environment the text does not name, even from the LLM', async () => {
    const understander = createUnderstander({ ...base, llm: toolCalling('deploy', { model: 'churn', env: 'prod' }) });
    expect(await understander.understand('churn in staging')).toMatchObject({ kind: 'clarify', missing: ['env'], source: 'llm' });
  });

  it('answers none when the model replies without a tool call', async () => {
    const llm = createLangchainInterpreter(new FakeListChatModel({ responses: ['That is not something I can do.'] }), { limits, environments: ['prod'] });
    const understander = createUnderstander({ ...base, llm });
    expect(await understander.understand(UNSURE)).toEqual({ kind: 'none', confidence: 0.8, source: 'llm', reply: 'That is not something I can do.' });
  });

  it('is not asked about commands or sentences the intent model is sure of', async () => {
    const calls: string[] = [];
    const llm: LlmInterpreter = { interpret: async (text) => (calls.push(text), { kind: 'no-tool-call', reply: '' }) };
    const understander = createUnderstander({ ...base, llm });
    await understander.understand('deploy churn v2 to prod');
    await understander.understand('please roll back churn in prod');
    expect(calls).toEqual([]);
  });
});

describe('OpenAI-compatible endpoint (a real HTTP server standing in for it)', () => {
  it('posts the tools and reads the tool call back', async () => {
    const bodies: Array<{ model: string; tools: Array<{ function: { name: string } }> }> = [];
    const server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        bodies.push(JSON.parse(body) as (typeof bodies)[number]);
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ choices: [{ message: { content: null, tool_calls: [{ id: 'c1', function: { name: 'scale', arguments: '{"model":"churn","env":"prod","replicas":3}' } }] } }] }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const config = llmConfigSchema.parse(llmSettingsFromEnv({ OPSBOT_LLM: `http://127.0.0.1:${port}/v1`, OPSBOT_LLM_MODEL: 'local-model' }));
      const llm = createLangchainInterpreter(createChatModel(config), { limits, environments: ['dev', 'staging', 'prod'] });
      expect(await llm.interpret('scale churn in prod to 3')).toEqual({ kind: 'tool-call', action: 'scale', args: { model: 'churn', env: 'prod', replicas: 3 } });
      expect(bodies[0]?.model).toBe('local-model');
      expect(bodies[0]?.tools.map((t) => t.function.name)).toEqual(expect.arrayContaining(['train', 'deploy', 'rollback', 'scale', 'status']));
    } finally {
      server.close();
    }
  });

  it('turns an unreachable endpoint into a message, not an exception', async () => {
    const config = llmConfigSchema.parse({ provider: 'ollama', model: 'llama3.1', baseUrl: 'http://127.0.0.1:9', timeoutMs: 2000 });
    const llm = createLangchainInterpreter(createChatModel(config), { limits, environments: ['prod'] });
    expect(await llm.interpret('hello')).toMatchObject({ kind: 'error', message: expect.stringMatching(/^the LLM could not be asked/) });
  });

  it('reads OPSBOT_LLM settings and refuses a hosted API without a key', () => {
    expect(llmSettingsFromEnv({})).toBeUndefined();
    expect(llmSettingsFromEnv({ OPSBOT_LLM: 'http://localhost:11434', OPSBOT_LLM_MODEL: 'llama3.1' })).toEqual({ provider: 'ollama', baseUrl: 'http://localhost:11434', model: 'llama3.1' });
    const noKey = llmConfigSchema.safeParse(llmSettingsFromEnv({ OPSBOT_LLM: 'anthropic', OPSBOT_LLM_MODEL: 'claude-3-5-haiku-latest' }));
    expect(noKey.success).toBe(false);
    expect(noKey.error?.issues[0]?.message).toMatch(/OPSBOT_LLM_API_KEY/);
  });
});
