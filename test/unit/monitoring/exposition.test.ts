import { parseSamples } from '../../../monitoring/exposition.js';

describe('parseSamples', () => {
  it('reads names, labels (escapes included) and values, skipping comments and what is not asked for', () => {
    const page = [
      '# HELP opsbot_model_server_requests_total HTTP requests',
      '# TYPE opsbot_model_server_requests_total counter',
      'opsbot_model_server_requests_total{colour="blue",route="/v1/models/:name:predict",code="200",note="a \\"quoted\\" \\\\ {brace}"} 12',
      'opsbot_model_server_request_duration_seconds_bucket{le="+Inf",route="r"} 3 1700000000000',
      'opsbot_model_server_in_flight_requests 0',
      'opsbot_model_server_process_cpu_seconds_total 1.5e3',
      'not a sample line',
      '',
    ].join('\n');
    expect(parseSamples(page, (name) => name !== 'opsbot_model_server_process_cpu_seconds_total')).toEqual([
      { name: 'opsbot_model_server_requests_total', labels: { colour: 'blue', route: '/v1/models/:name:predict', code: '200', note: 'a "quoted" \\ {brace}' }, value: 12 },
      { name: 'opsbot_model_server_request_duration_seconds_bucket', labels: { le: '+Inf', route: 'r' }, value: 3 },
      { name: 'opsbot_model_server_in_flight_requests', labels: {}, value: 0 },
    ]);
    expect(parseSamples('x{a="1",} +Inf\ny{broken} 1\nz NaN')).toEqual([{ name: 'x', labels: { a: '1' }, value: Infinity }]);
  });
});
