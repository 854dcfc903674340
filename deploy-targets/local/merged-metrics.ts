/** One replica's /metrics page and the labels that tell its series apart from the other replicas'. */
export interface ReplicaPage {
  labels: Record<string, string>;
  text: string;
}

interface Family {
  comments: string[];
  samples: string[];
}

const SAMPLE_NAME = /^[A-Za-z_:][A-Za-z0-9_:]*/;
const COMMENT = /^#\s+(HELP|TYPE)\s+([A-Za-z_:][A-Za-z0-9_:]*)/;

/** `colour="blue",replica="blue-1"`: the values are opsbot's own names (colours, replica names), escaped anyway. */
function labelText(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([name, value]) => `${name}="${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
    .join(',');
}

/** The sample line with `extra` put first in its label set (right after the name, where no label value can confuse it). */
function withLabels(line: string, extra: string): string | undefined {
  const name = SAMPLE_NAME.exec(line)?.[0];
  if (!name) return undefined;
  const rest = line.slice(name.length);
  if (rest.startsWith('{}')) return `${name}{${extra}}${rest.slice(2)}`;
  if (rest.startsWith('{')) return `${name}{${extra},${rest.slice(1)}`;
  return `${name}{${extra}}${rest}`;
}

/**
 * One text-format (0.0.4) page holding every replica's series, each labelled with its replica's `labels`: what a
 * scrape of the router answers. Proxying /metrics to one replica in turn (as any other path) made each scrape see
 * another replica's counters, which rate() reads as resets; and the text format wants every family's lines in one
 * group, so the pages are regrouped by family (HELP and TYPE once, from the first page that has them) rather than
 * concatenated.
 */
export function mergeReplicaPages(pages: readonly ReplicaPage[]): string {
  const families = new Map<string, Family>();
  const family = (name: string) => {
    let found = families.get(name);
    if (!found) families.set(name, (found = { comments: [], samples: [] }));
    return found;
  };
  for (const page of pages) {
    const extra = labelText(page.labels);
    let current: { name: string; family: Family } | undefined;
    const seenHere = new Set<string>();
    for (const line of page.text.split('\n')) {
      if (line.trim() === '') continue;
      const comment = COMMENT.exec(line);
      if (comment) {
        const name = comment[2] as string;
        current = { name, family: family(name) };
        // The first page's HELP/TYPE stand for all: replicas run the same server code.
        if (!seenHere.has(`${comment[1]} ${name}`) && !current.family.comments.some((c) => c.startsWith(`# ${comment[1]} `))) current.family.comments.push(line);
        seenHere.add(`${comment[1]} ${name}`);
        continue;
      }
      if (line.startsWith('#')) continue;
      const sample = withLabels(line, extra);
      if (!sample) continue;
      // A sample of the family its HELP/TYPE opened (a histogram's _bucket, _sum, _count too), else its own untyped one.
      const name = SAMPLE_NAME.exec(line)?.[0] as string;
      const owner = current && (name === current.name || name.startsWith(`${current.name}_`)) ? current.family : family(name);
      owner.samples.push(sample);
    }
  }
  return [...families.values()].map((f) => [...f.comments, ...f.samples].join('\n')).join('\n') + '\n';
}
