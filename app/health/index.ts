export { mountHealthRoutes, DEFAULT_CHECK_TIMEOUT_MS } from './health-routes.js';
export { checkReadiness, type CheckResult, type ReadinessCheck, type ReadinessReport } from './readiness-check.js';
export { readinessChecks } from './readiness-checks.js';
