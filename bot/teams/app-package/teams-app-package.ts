import { strToU8, zipSync } from 'fflate';
import { colorIconPng, outlineIconPng } from './opsbot-icons.js';
import { teamsAppManifest, type TeamsManifestOptions } from './teams-manifest.js';

let icons: { color: Uint8Array; outline: Uint8Array } | undefined;

/** The icons never change, so they are drawn once per process. */
function opsbotIcons(): { color: Uint8Array; outline: Uint8Array } {
  icons ??= { color: colorIconPng(), outline: outlineIconPng() };
  return icons;
}

/** The zip Teams admins upload: manifest.json and both icons at its root. */
export function buildTeamsAppPackage(options: TeamsManifestOptions): Uint8Array {
  const manifest = teamsAppManifest(options);
  const { color, outline } = opsbotIcons();
  return zipSync(
    {
      'manifest.json': strToU8(`${JSON.stringify(manifest, null, 2)}\n`),
      'color.png': color,
      'outline.png': outline,
    },
    // Fixed timestamps keep the package byte-identical for the same inputs.
    { level: 9, mtime: new Date('2024-01-01T00:00:00Z') },
  );
}
