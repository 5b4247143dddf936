// The synthetic session both benchmarks use.
// A deterministic session shaped like Firefox's: a few history entries per tab, principals,
// favicons, closed tabs; URLs vary so it compresses like a real one (about 5-10x).
export function makeSession(tabs) {
  let seed = 42;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return (seed >>> 8) / 0x1000000;
  };
  const word = () => Math.floor(rnd() * 36 ** 6).toString(36);
  const hosts = Array.from(
    { length: 200 },
    () => `${word()}.${['com', 'org', 'net', 'io'][Math.floor(rnd() * 4)]}`,
  );
  const principal = () => `{"1":{"0":"https://${hosts[Math.floor(rnd() * hosts.length)]}/"}}`;
  const entry = () => {
    const host = hosts[Math.floor(rnd() * hosts.length)];
    const url = `https://${host}/${word()}/${word()}?q=${word()}${word()}`;
    return {
      url,
      title: `${word()} ${word()} ${word()} - ${host}`,
      cacheKey: 0,
      ID: Math.floor(rnd() * 1e6),
      docshellUUID: `{${word()}${word()}-${word()}-${word()}}`,
      referrerInfo: 'BBoSnxDOS9qmDeAnom1e0AAAAAAAAAAAwAAAAAAAAEYAAAAAAAEBAAAAAAEA',
      originalURI: url,
      resultPrincipalURI: null,
      hasUserInteraction: rnd() < 0.5,
      triggeringPrincipal_base64: principal(),
      docIdentifier: Math.floor(rnd() * 1e6),
      persist: true,
    };
  };
  const tab = () => {
    const entries = Array.from({ length: 1 + Math.floor(rnd() * 4) }, entry);
    return {
      entries,
      lastAccessed: 1_700_000_000_000 + Math.floor(rnd() * 1e9),
      hidden: false,
      searchMode: null,
      userContextId: 0,
      attributes: {},
      index: entries.length,
      requestedIndex: 0,
      image: `https://${hosts[Math.floor(rnd() * hosts.length)]}/favicon.ico`,
      pinned: rnd() < 0.02,
    };
  };
  const perWindow = 50;
  const windows = [];
  for (let left = tabs; left > 0; left -= perWindow) {
    windows.push({
      tabs: Array.from({ length: Math.min(perWindow, left) }, tab),
      selected: 1,
      _closedTabs: Array.from({ length: 5 }, () => ({ state: tab(), title: 'closed' })),
      width: 1280,
      height: 800,
      sizemode: 'normal',
    });
  }
  return {
    version: ['sessionrestore', 1],
    windows,
    _closedWindows: [],
    session: { lastUpdate: 1_700_000_000_000 },
  };
}
