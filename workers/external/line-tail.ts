/** The last lines of a stream that arrives in chunks, each line capped, for failure messages. */
export class LineTail {
  private readonly lines: string[] = [];
  private partial = '';

  constructor(
    private readonly maxLines: number,
    private readonly maxLineLength = 500,
  ) {}

  push(chunk: string): void {
    const parts = (this.partial + chunk).split('\n');
    this.partial = (parts.pop() as string).slice(-this.maxLineLength * 4);
    for (const line of parts) this.lines.push(this.cap(line.replace(/\r$/, '')));
    this.lines.splice(0, Math.max(0, this.lines.length - this.maxLines));
  }

  text(): string {
    const lines = this.partial ? [...this.lines, this.cap(this.partial)] : this.lines;
    return lines.slice(-this.maxLines).join('\n');
  }

  private cap(line: string): string {
    return line.length > this.maxLineLength ? `${line.slice(0, this.maxLineLength)}…` : line;
  }
}
