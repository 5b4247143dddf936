function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The `/` page: what this is, a link to the metrics, and any status lines the exporter reports. */
export function landingPage(opts: {
  name: string;
  version: string;
  description: string;
  telemetryPath: string;
  status: string[];
}): string {
  const status = opts.status.length
    ? `<h2>Status</h2><ul>${opts.status.map((s) => `<li>${esc(s)}</li>`).join('')}</ul>`
    : '';
  return `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>${esc(opts.name)}</title>
<style>body{font-family:sans-serif;max-width:48em;margin:2em auto;padding:0 1em}</style></head>
<body><h1>${esc(opts.name)}</h1><p>${esc(opts.description)}</p><p>Version ${esc(opts.version)}</p>
<ul><li><a href="${esc(opts.telemetryPath)}">Metrics</a></li><li><a href="/-/healthy">Health</a></li></ul>
${status}</body></html>
`;
}
