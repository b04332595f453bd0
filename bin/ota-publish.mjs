#!/usr/bin/env node
// Installed entry point: the CLI is bundled into out/ by `npm run build`.
import '../out/cli/ota-publish.mjs';
