// Loaded with `node --require` by bench-audit.mjs: writes the process's peak resident memory to the
// file named by BENCH_RSS_FILE when it exits, so the bench can report the audit's own peak.
'use strict';
const fs = require('node:fs');

process.on('exit', () => {
  const file = process.env.BENCH_RSS_FILE;
  if (file) fs.writeFileSync(file, String(process.resourceUsage().maxRSS * 1024));
});
