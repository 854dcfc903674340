import { ApiException } from '@kubernetes/client-node';
import { OpsbotError, type ErrorCode } from '../../core/index.js';

/** The `Status` object the API server answers an error with (kind Status, apiVersion v1). */
export interface KubernetesStatus {
  code?: number;
  reason?: string;
  message?: string;
}

/** An API server call that failed: what was asked, and the server's own reason and message. */
export class KubernetesApiError extends OpsbotError {
  constructor(
    readonly status: number | undefined,
    readonly reason: string | undefined,
    userMessage: string,
    options?: { cause?: unknown },
  ) {
    super(codeFor(status), userMessage, options);
  }
}

function codeFor(status: number | undefined): ErrorCode {
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 400 || status === 422) return 'invalid_input';
  return 'unavailable';
}

/** The HTTP status of a failed client-node call, when the server answered. */
export function statusCodeOf(error: unknown): number | undefined {
  return error instanceof ApiException ? error.code : undefined;
}

/** The Status object in a failed call's body (client-node hands it over as text for most codes). */
export function statusOf(error: unknown): KubernetesStatus | undefined {
  if (!(error instanceof ApiException)) return undefined;
  const body: unknown = error.body;
  if (typeof body === 'object' && body !== null) return body as KubernetesStatus;
  if (typeof body !== 'string') return undefined;
  try {
    return JSON.parse(body) as KubernetesStatus;
  } catch {
    return { message: body.slice(0, 300) };
  }
}

const HINTS: Record<number, string> = {
  401: 'the kubeconfig\'s credentials were refused; check deploy.kubernetes.kubeconfig / KUBECONFIG',
  403: 'opsbot\'s Kubernetes identity lacks a permission: see the Role in deploy-targets/kubernetes/README.md',
};

/** Turns a failed call into an error a person can act on: the verb, the object, the server's reason, and a hint. */
export function kubernetesApiError(error: unknown, what: string): KubernetesApiError {
  if (error instanceof KubernetesApiError) return error;
  const code = statusCodeOf(error);
  if (code === undefined) {
    const message = error instanceof Error ? error.message : String(error);
    return new KubernetesApiError(undefined, undefined, `Kubernetes could not be reached to ${what}: ${message}`, { cause: error });
  }
  const status = statusOf(error);
  const detail = [status?.reason, status?.message].filter(Boolean).join(': ') || `HTTP ${code}`;
  const hint = HINTS[code];
  return new KubernetesApiError(code, status?.reason, `Kubernetes refused to ${what} (${code} ${detail})${hint ? `; ${hint}` : ''}`, { cause: error });
}
