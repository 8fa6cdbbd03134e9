#!/usr/bin/env node
// The `studio` command. The TypeScript sources are built into out/ by `npm run build`.
'use strict';
const path = require('node:path');
const fs = require('node:fs');

const cli = path.join(__dirname, '..', 'out', 'main', 'cli.js');
if (!fs.existsSync(cli)) {
  process.stderr.write(
    'studio: the studio is not built yet. Run `npm run build` in ' +
      path.dirname(__dirname) +
      ' first.\n',
  );
  process.exit(1);
}
require(cli)
  .main(process.argv)
  .then((code) => {
    process.exitCode = code;
  });
