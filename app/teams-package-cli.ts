import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { buildTeamsAppPackage } from '../bot/teams/index.js';

export interface TeamsPackageOptions {
  /** The bot's Microsoft App ID (MICROSOFT_APP_ID). */
  appId: string;
  /** Where the zip goes, e.g. opsbot-teams.zip. */
  outFile: string;
  /** Short name shown in Teams (at most 30 characters); defaults to opsbot. */
  name?: string;
  /** The host serving opsbot, e.g. opsbot.example.com. */
  validDomain?: string;
  /** App version; raise it for each update of an installed app. Defaults to 1.0.0. */
  version?: string;
}

/** `opsbot teams-package`: writes the Teams app package (manifest.json, color.png, outline.png) to upload in Teams. */
export async function writeTeamsPackage(options: TeamsPackageOptions): Promise<void> {
  const zip = buildTeamsAppPackage({ appId: options.appId, name: options.name, validDomain: options.validDomain, version: options.version });
  const path = resolve(options.outFile);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, zip);
}
