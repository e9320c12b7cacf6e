// The entry of dist/server/lspBundle.cjs: vscode-languageserver's Node API bundled into one file
// by esbuild at build time (package.json "build"). Loaded by lsp.ts. Why: the package and its
// dependencies are ~90 CommonJS files, and resolving and reading them one by one was ~15 ms of the
// ~135 ms from spawn to the initialize result (npm run bench:burst); one file removes that.
module.exports = require("vscode-languageserver/node");
