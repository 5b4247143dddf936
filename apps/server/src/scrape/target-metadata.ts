/** HELP, TYPE and UNIT of one metric family as a target exposes them. */
export interface MetricMetadata {
  type: string;
  help: string;
  unit: string;
}

/** Metadata per metric family name, kept per target and refreshed by every scrape. */
export class TargetMetadata {
  readonly byName = new Map<string, MetricMetadata>();

  private entry(name: string): MetricMetadata {
    let m = this.byName.get(name);
    if (!m) {
      m = { type: 'unknown', help: '', unit: '' };
      this.byName.set(name, m);
    }
    return m;
  }

  setHelp(name: string, help: string): void {
    const m = this.entry(name);
    if (m.help !== help) m.help = help;
  }

  setType(name: string, type: string): void {
    // The text format's "untyped" is OpenMetrics' and the API's "unknown".
    this.entry(name).type = type === 'untyped' ? 'unknown' : type;
  }

  setUnit(name: string, unit: string): void {
    this.entry(name).unit = unit;
  }
}
