export interface JsonResponse {
  status: number;
  contentType: string | null;
  body: Record<string, unknown>;
  headers: Headers;
}

/** One HTTP request to a model server, its JSON answer parsed (empty object for an empty body). */
export async function call(url: string, init: { method?: string; body?: unknown; rawBody?: string; contentType?: string | null } = {}): Promise<JsonResponse> {
  const headers: Record<string, string> = {};
  const hasBody = init.body !== undefined || init.rawBody !== undefined;
  if (hasBody && init.contentType !== null) headers['content-type'] = init.contentType ?? 'application/json';
  const response = await fetch(url, {
    method: init.method ?? (hasBody ? 'POST' : 'GET'),
    headers,
    // Bytes, not a string, when no Content-Type is wanted: fetch labels a string text/plain.
    body: hasBody ? Buffer.from(init.rawBody ?? JSON.stringify(init.body)) : undefined,
  });
  const text = await response.text();
  return { status: response.status, contentType: response.headers.get('content-type'), body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: response.headers };
}

/** The value of one Prometheus series in a /metrics page; 0 when the series is absent. */
export function metricValue(page: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of page.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const labelText = line.slice(name.length).split(' ')[0] ?? '';
    if (Object.entries(labels).every(([k, v]) => labelText.includes(`${k}="${v}"`))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return 0;
}
