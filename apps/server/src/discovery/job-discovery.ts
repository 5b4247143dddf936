import type { Logger } from '@motley/exporter-kit';
import type { ScrapeConfig, TargetGroup } from '../config/types.js';
import { FileDiscovery } from './file-sd.js';

/**
 * All target sources of one scrape job (static_configs and every file_sd_configs entry),
 * merged: `onUpdate` receives the complete current list whenever any source changes.
 */
export class JobDiscovery {
  private readonly providers: FileDiscovery[] = [];
  private readonly perProvider: TargetGroup[][] = [];
  private started = false;

  constructor(
    private readonly config: ScrapeConfig,
    private readonly log: Logger,
    private readonly onUpdate: (groups: TargetGroup[]) => void,
  ) {}

  start(): void {
    this.perProvider.push([...this.config.staticConfigs]);
    this.config.fileSdConfigs.forEach((fsd, i) => {
      this.perProvider.push([]);
      const p = new FileDiscovery(fsd, this.log, (groups) => {
        this.perProvider[i + 1] = groups;
        if (this.started) this.emit();
      });
      this.providers.push(p);
      p.start();
    });
    this.started = true;
    this.emit();
  }

  stop(): void {
    for (const p of this.providers) p.stop();
    this.providers.length = 0;
  }

  private emit(): void {
    this.onUpdate(this.perProvider.flat());
  }
}
