import { basename, dirname } from 'node:path';
import { parseLabelMap, parseRelabelConfigs, resolvePath } from './common.js';
import type {
  FileSdConfig,
  GlobalConfig,
  HttpClientConfig,
  ScrapeConfig,
  TargetGroup,
  TlsConfig,
} from './types.js';
import type { YamlValue } from './yaml-value.js';

const SCRAPE_KEYS = [
  'job_name',
  'honor_labels',
  'honor_timestamps',
  'params',
  'scrape_interval',
  'scrape_timeout',
  'metrics_path',
  'scheme',
  'body_size_limit',
  'sample_limit',
  'target_limit',
  'label_limit',
  'label_name_length_limit',
  'label_value_length_limit',
  'basic_auth',
  'authorization',
  'bearer_token',
  'bearer_token_file',
  'oauth2',
  'tls_config',
  'proxy_url',
  'follow_redirects',
  'enable_http2',
  'static_configs',
  'file_sd_configs',
  'relabel_configs',
  'metric_relabel_configs',
];

/** Discovery mechanisms Prometheus has and motley does not: named in the error so the user knows. */
const UNSUPPORTED_SD = /_sd_configs$/;

export function parseScrapeConfig(v: YamlValue, global: GlobalConfig, dir: string): ScrapeConfig {
  const unsupported = v.node
    ? v.entries().find(([k]) => UNSUPPORTED_SD.test(k) && k !== 'file_sd_configs')
    : undefined;
  if (unsupported) {
    const [key, value] = unsupported;
    value.fail(`${key} is not supported by motley (use static_configs or file_sd_configs)`);
  }
  const m = v.map(SCRAPE_KEYS);
  if (m.has('oauth2'))
    m.get('oauth2')?.fail('oauth2 is not supported by motley (use authorization or basic_auth)');
  const jobValue = m.get('job_name');
  const jobName = jobValue?.string() ?? '';
  if (jobName === '') (jobValue ?? v).fail('job_name is empty');

  const intervalValue = m.get('scrape_interval');
  const scrapeInterval = intervalValue?.duration() ?? global.scrapeInterval;
  if (scrapeInterval === 0) intervalValue?.fail('must be greater than 0');
  const timeoutValue = m.get('scrape_timeout');
  let scrapeTimeout = timeoutValue?.duration() ?? global.scrapeTimeout;
  if (!timeoutValue && scrapeTimeout > scrapeInterval) scrapeTimeout = scrapeInterval;
  if (scrapeTimeout > scrapeInterval) {
    (timeoutValue ?? v).fail(
      `scrape timeout greater than scrape interval for scrape config with job name "${jobName}"`,
    );
  }

  const schemeValue = m.get('scheme');
  const scheme = schemeValue?.string() || 'http';
  if (scheme !== 'http' && scheme !== 'https')
    schemeValue?.fail(`unknown scheme "${scheme}" (want http or https)`);
  const metricsPath = m.get('metrics_path')?.string() || '/metrics';
  if (!metricsPath.startsWith('/')) m.get('metrics_path')?.fail(`"${metricsPath}" must start with /`);

  const params: Record<string, string[]> = {};
  for (const [name, value] of m.get('params')?.entries() ?? []) params[name] = value.stringList();

  const optionalInt = (key: string) => m.get(key)?.integer() ?? 0;
  const config: ScrapeConfig = {
    jobName,
    honorLabels: m.get('honor_labels')?.boolean() ?? false,
    honorTimestamps: m.get('honor_timestamps')?.boolean() ?? true,
    params,
    scrapeInterval,
    scrapeTimeout,
    metricsPath,
    scheme: scheme as 'http' | 'https',
    bodySizeLimit: m.get('body_size_limit')?.byteSize() ?? 0,
    sampleLimit: optionalInt('sample_limit'),
    targetLimit: optionalInt('target_limit'),
    labelLimit: optionalInt('label_limit'),
    labelNameLengthLimit: optionalInt('label_name_length_limit'),
    labelValueLengthLimit: optionalInt('label_value_length_limit'),
    http: parseHttpClient(m, dir),
    staticConfigs: (m.get('static_configs')?.list() ?? []).map((g, i) => parseStaticGroup(g, `static:${i}`)),
    fileSdConfigs: (m.get('file_sd_configs')?.list() ?? []).map((f) => parseFileSd(f, dir)),
    relabelConfigs: parseRelabelConfigs(m.get('relabel_configs')),
    metricRelabelConfigs: parseRelabelConfigs(m.get('metric_relabel_configs')),
    fingerprint: JSON.stringify([v.toJSON(), scrapeInterval, scrapeTimeout, dir]),
  };
  return config;
}

function parseHttpClient(m: Map<string, YamlValue>, dir: string): HttpClientConfig {
  let basicAuth: HttpClientConfig['basicAuth'];
  const ba = m.get('basic_auth');
  if (ba && !ba.isNull()) {
    const b = ba.map(['username', 'password', 'password_file']);
    const password = b.get('password')?.string();
    const passwordFile = b.get('password_file')?.string();
    if (password && passwordFile)
      ba.fail('at most one of basic_auth password & password_file must be configured');
    basicAuth = {
      username: b.get('username')?.string() ?? '',
      password,
      passwordFile: passwordFile ? resolvePath(dir, passwordFile) : undefined,
    };
  }
  let authorization: HttpClientConfig['authorization'];
  const au = m.get('authorization');
  if (au && !au.isNull()) {
    const a = au.map(['type', 'credentials', 'credentials_file']);
    const type = a.get('type')?.string() || 'Bearer';
    if (type.toLowerCase() === 'basic')
      a.get('type')?.fail('authorization type cannot be set to "basic", use "basic_auth" instead');
    const credentials = a.get('credentials')?.string();
    const credentialsFile = a.get('credentials_file')?.string();
    if (credentials && credentialsFile)
      au.fail('at most one of authorization credentials & credentials_file must be configured');
    authorization = {
      type,
      credentials,
      credentialsFile: credentialsFile ? resolvePath(dir, credentialsFile) : undefined,
    };
  }
  const bearer = m.get('bearer_token')?.string();
  const bearerFile = m.get('bearer_token_file')?.string();
  if (bearer || bearerFile) {
    if (authorization)
      (m.get('bearer_token') ?? m.get('bearer_token_file'))?.fail(
        'authorization is not compatible with bearer_token & bearer_token_file',
      );
    if (bearer && bearerFile)
      m.get('bearer_token')?.fail('at most one of bearer_token & bearer_token_file must be configured');
    authorization = {
      type: 'Bearer',
      credentials: bearer,
      credentialsFile: bearerFile ? resolvePath(dir, bearerFile) : undefined,
    };
  }
  if (basicAuth && authorization)
    m.get('basic_auth')?.fail('at most one of basic_auth, bearer_token & authorization must be configured');

  const proxyValue = m.get('proxy_url');
  const proxyUrl = proxyValue?.string() || undefined;
  if (proxyUrl) {
    const url = URL.canParse(proxyUrl) ? new URL(proxyUrl) : undefined;
    if (!url) proxyValue?.fail(`invalid proxy URL "${proxyUrl}"`);
    else if (!['http:', 'socks5:', 'socks5h:'].includes(url.protocol)) {
      proxyValue?.fail(`unsupported proxy scheme "${url.protocol.slice(0, -1)}" (want http or socks5)`);
    }
  }
  return {
    basicAuth,
    authorization,
    tls: parseTls(m.get('tls_config'), dir),
    proxyUrl,
    followRedirects: m.get('follow_redirects')?.boolean() ?? true,
  };
}

const TLS_VERSIONS: Record<string, TlsConfig['minVersion']> = {
  TLS10: 'TLSv1',
  TLS11: 'TLSv1.1',
  TLS12: 'TLSv1.2',
  TLS13: 'TLSv1.3',
};

function parseTls(v: YamlValue | undefined, dir: string): TlsConfig {
  if (!v) return { insecureSkipVerify: false };
  const t = v.map(['ca_file', 'cert_file', 'key_file', 'server_name', 'insecure_skip_verify', 'min_version']);
  const file = (key: string) => {
    const p = t.get(key)?.string();
    return p ? resolvePath(dir, p) : undefined;
  };
  const certFile = file('cert_file');
  const keyFile = file('key_file');
  if (Boolean(certFile) !== Boolean(keyFile))
    v.fail('exactly one of key_file or cert_file is configured; both or neither are needed');
  const minText = t.get('min_version')?.string();
  const minVersion = minText ? TLS_VERSIONS[minText] : undefined;
  if (minText && !minVersion)
    t.get('min_version')?.fail(`unknown TLS version "${minText}" (want TLS10, TLS11, TLS12 or TLS13)`);
  return {
    caFile: file('ca_file'),
    certFile,
    keyFile,
    serverName: t.get('server_name')?.string() || undefined,
    insecureSkipVerify: t.get('insecure_skip_verify')?.boolean() ?? false,
    minVersion,
  };
}

/** One static_configs entry (also the shape of a file_sd group). */
export function parseStaticGroup(v: YamlValue, source: string): TargetGroup {
  const m = v.map(['targets', 'labels']);
  const targets = m.get('targets')?.list() ?? [];
  for (const t of targets) {
    const address = t.string();
    if (address.includes('/'))
      t.fail(`"${address}" is not a valid hostname (write host:port; the path goes in metrics_path)`);
  }
  const labels: Record<string, string> = {};
  for (const l of parseLabelMap(m.get('labels'))) labels[l.name] = l.value;
  return { targets: targets.map((t) => t.string()), labels, source };
}

const SD_EXTENSIONS = /\.(json|ya?ml)$/;

function parseFileSd(v: YamlValue, dir: string): FileSdConfig {
  const m = v.map(['files', 'refresh_interval']);
  const filesValue = m.get('files');
  const files = filesValue?.stringList() ?? [];
  if (files.length === 0) v.fail('file service discovery config must contain at least one path name');
  for (const [i, f] of files.entries()) {
    const where = filesValue?.list()[i] ?? v;
    if (!SD_EXTENSIONS.test(f))
      where.fail(`path name "${f}" is not valid for file discovery (want *.json, *.yml or *.yaml)`);
    if (/[*?[]/.test(dirname(f)))
      where.fail(
        `path name "${f}" is not valid for file discovery (patterns only in the file name, not in ${dirname(f)})`,
      );
    if (basename(f) === '') where.fail(`path name "${f}" has no file name`);
  }
  const refreshInterval = m.get('refresh_interval')?.duration() ?? 300_000;
  return { files: files.map((f) => resolvePath(dir, f)), refreshInterval };
}
