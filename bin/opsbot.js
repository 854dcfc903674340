#!/usr/bin/env node
// opsbot is written in TypeScript and runs through tsx, so a fresh clone needs no build step.
import { register } from 'tsx/esm/api';

register();
await import('../app/cli.ts');
