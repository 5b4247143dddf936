import type { Logger } from '@motley/exporter-kit';
import { defaultConfig } from '../config/default-config.js';
import { loadConfigFile } from '../config/load.js';
import type { Config } from '../config/types.js';
import type { ScrapeManager } from './scrape-manager.js';

/**
 * Owns "which configuration is in force": loads --config.file (or the embedded default) at
 * start, and on reload (SIGHUP, POST /-/reload) applies a new file only if it is valid.
 */
export class ScrapeService {
  private current: Config | undefined;
  private reloading: Promise<void> = Promise.resolve();

  constructor(
    private readonly manager: ScrapeManager,
    private readonly log: Logger,
    private readonly configFile: string | undefined,
    /** host:port of this server, for the default config's self-scrape target. */
    private readonly selfAddress: string,
  ) {}

  get config(): Config | undefined {
    return this.current;
  }

  private load(): Config {
    return this.configFile ? loadConfigFile(this.configFile) : defaultConfig(this.selfAddress);
  }

  /** Loads and applies the configuration; throws ConfigError when it is invalid. */
  start(): void {
    this.current = this.load();
    if (!this.configFile)
      this.log.info('no --config.file: using the embedded default config', { self: this.selfAddress });
    this.manager.applyConfig(this.current);
    this.manager.start();
  }

  /** Re-reads the configuration; an invalid file is logged and rejected, the running one stays. */
  reload(): Promise<void> {
    const run = async () => {
      let next: Config;
      try {
        next = this.load();
      } catch (e) {
        this.log.error('reload failed, keeping the running configuration', { err: (e as Error).message });
        throw e;
      }
      this.current = next;
      this.manager.applyConfig(next);
    };
    this.reloading = this.reloading.then(run, run);
    return this.reloading;
  }

  stop(): Promise<void> {
    return this.manager.stop();
  }
}
