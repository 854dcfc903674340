import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { ServiceUnavailableError } from '../../core/index.js';

export interface ProxyResponse {
  status: number;
  body: string;
}

/**
 * The API server's path to a Service's port: `/api/v1/namespaces/{ns}/services/{name}:{port}/proxy/{path}`.
 * It works from outside the cluster with the kubeconfig's own credentials (RBAC: `services/proxy`).
 */
export function serviceProxyPath(namespace: string, service: string, port: string, path: string): string {
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/services/${encodeURIComponent(service)}:${encodeURIComponent(port)}/proxy${path.startsWith('/') ? path : `/${path}`}`;
}

/**
 * POSTs JSON through the API server with the kubeconfig's TLS and credentials (client certificates, a bearer token,
 * an exec plugin's token). client-node has no call for a proxied POST with a body, so this is a plain request.
 */
export async function proxyPost(kc: KubeConfig, path: string, body: unknown, timeoutMs: number): Promise<ProxyResponse> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new ServiceUnavailableError('the kubeconfig has no current cluster');
  const base = new URL(cluster.server);
  // A server URL may carry a path prefix (Rancher, some gateways): the API paths go under it.
  const url = new URL(`${base.pathname.replace(/\/$/, '')}${path}`, base);
  const payload = Buffer.from(JSON.stringify(body));
  const options: RequestOptions & Record<string, unknown> = { method: 'POST', headers: {} };
  await kc.applyToHTTPSOptions(options);
  options.headers = { ...(options.headers as Record<string, string>), 'content-type': 'application/json', 'content-length': String(payload.length), accept: 'application/json' };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<ProxyResponse>((resolve, reject) => {
    const req = send(url, { ...options, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new ServiceUnavailableError(`the API server's service proxy did not answer within ${timeoutMs / 1000} s`)));
    req.on('error', reject);
    req.end(payload);
  });
}
