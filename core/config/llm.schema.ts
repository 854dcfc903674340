import { z } from 'zod';

/** The chat APIs opsbot can ask: any OpenAI-compatible endpoint (OpenAI, vLLM, LM Studio…), Anthropic, or a local Ollama. */
export const LLM_PROVIDERS = ['openai', 'anthropic', 'ollama'] as const;
export type LlmProvider = (typeof LLM_PROVIDERS)[number];

/**
 * `llm`: the optional LLM asked about sentences opsbot's own intent model is unsure of. Absent:
 * no LLM, and nothing needs one. Its answers pass the same validation, RBAC, clarification and
 * confirmation as any other.
 */
export const llmConfigSchema = z
  .object({
    provider: z.enum(LLM_PROVIDERS, { error: `llm.provider must be one of ${LLM_PROVIDERS.join(', ')}` }),
    /** The provider's model name, e.g. gpt-4o-mini, claude-3-5-haiku-latest, llama3.1. */
    model: z.string().min(1, 'llm.model names the model to ask, e.g. gpt-4o-mini or llama3.1'),
    /**
     * API root. Defaults: https://api.openai.com/v1, https://api.anthropic.com, http://127.0.0.1:11434 (Ollama).
     */
    baseUrl: z.url({ error: 'llm.baseUrl must be a URL such as http://127.0.0.1:11434' }).optional(),
    /** A secret: set it through OPSBOT_LLM_API_KEY, never in a committed file. Not needed by Ollama or a local endpoint. */
    apiKey: z.string().min(1).optional(),
    /** @defaultValue 15000 */
    timeoutMs: z.number().int().min(100).max(120_000).default(15_000),
    /** @defaultValue 0 (the same sentence, the same reading) */
    temperature: z.number().min(0).max(2).default(0),
  })
  .refine((llm) => llm.provider === 'ollama' || llm.baseUrl !== undefined || llm.apiKey !== undefined, {
    error: 'llm.apiKey (OPSBOT_LLM_API_KEY) is needed for the hosted OpenAI and Anthropic APIs; set it, or point llm.baseUrl at a local endpoint',
  });
export type LlmConfig = z.infer<typeof llmConfigSchema>;

/**
 * The `llm` section from the environment: OPSBOT_LLM is a provider name (openai, anthropic,
 * ollama) or an API root URL (an Ollama URL when it ends in :11434, else OpenAI-compatible);
 * OPSBOT_LLM_MODEL, OPSBOT_LLM_API_KEY, OPSBOT_LLM_BASE_URL and OPSBOT_LLM_TIMEOUT_MS fill in the rest.
 * Undefined when OPSBOT_LLM is unset. Unvalidated: parse it with llmConfigSchema (load-config does).
 */
export function llmSettingsFromEnv(env: NodeJS.ProcessEnv): Record<string, unknown> | undefined {
  const value = env.OPSBOT_LLM?.trim();
  if (!value) return undefined;
  const isUrl = /^https?:\/\//i.test(value);
  const provider = isUrl ? (/:11434\/?$/.test(value) || /ollama/i.test(value) ? 'ollama' : 'openai') : value.toLowerCase();
  const settings: Record<string, unknown> = { provider };
  const baseUrl = isUrl ? value : env.OPSBOT_LLM_BASE_URL;
  if (baseUrl) settings.baseUrl = baseUrl;
  if (env.OPSBOT_LLM_MODEL) settings.model = env.OPSBOT_LLM_MODEL;
  if (env.OPSBOT_LLM_API_KEY) settings.apiKey = env.OPSBOT_LLM_API_KEY;
  if (env.OPSBOT_LLM_TIMEOUT_MS) settings.timeoutMs = Number(env.OPSBOT_LLM_TIMEOUT_MS);
  return settings;
}
