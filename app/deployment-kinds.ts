/** Kinds that act through the deploy target; with the local target they run where its processes live: in the bot process. */
export const DEPLOYMENT_KINDS = ['deploy', 'rollback', 'scale'] as const;
