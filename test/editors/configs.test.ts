/**
 * Static checks of the editor setups in client-configs/ that cannot (Helix, VS Code, Neovim 0.11,
 * lsp-mode) or need not run end to end here: they parse, use keys the editor knows, start
 * `codegen-language-server --stdio`, and carry settings the server's schema accepts.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Ajv } from "ajv";
import { parse as parseToml } from "smol-toml";
import { hasCommand, hasEglot, inCi, repoRoot } from "./harness.js";

const configs = join(repoRoot, "client-configs");
const schema = JSON.parse(readFileSync(join(repoRoot, "server", "settings", "schema.json"), "utf8"));
const validateSettings = new Ajv({ allErrors: true, strict: false }).compile(schema);

/** Fails with the schema's complaints when `settings` is not a valid settings object. */
function assertValidSettings(settings: unknown, where: string): void {
  assert.ok(validateSettings(settings), `${where}: ${JSON.stringify(validateSettings.errors, null, 2)}`);
}

/** Skips (or, under CI=true, fails) when a tool the check needs is missing. */
function need(ctx: Mocha.Context, what: string, available: boolean): void {
  if (available) return;
  if (inCi) throw new Error(`${what} is missing; CI=true, so this check must run`);
  console.log(`      skipping: ${what} is not installed`);
  ctx.skip();
}

function run(command: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const r = spawnSync(command, args, {
    cwd: opts.cwd ?? repoRoot,
    env: { ...process.env, ...opts.env },
    encoding: "utf8",
    timeout: 170_000,
  });
  return { status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "", error: r.error };
}

describe("client-configs: Helix languages.toml", () => {
  const toml = parseToml(readFileSync(join(configs, "helix", "languages.toml"), "utf8")) as Record<string, any>;
  // From Helix's book (languages.md): the keys of a [language-server.X] table and the features
  // `only-features` / `except-features` accept.
  const serverKeys = new Set(["command", "args", "config", "timeout", "environment", "required-root-patterns"]);
  const features = new Set([
    "format", "goto-definition", "goto-declaration", "goto-type-definition", "goto-reference",
    "goto-implementation", "signature-help", "hover", "document-highlight", "completion", "code-action",
    "workspace-command", "document-symbols", "workspace-symbols", "diagnostics", "rename-symbol", "inlay-hints",
  ]);
  const languageKeys = new Set([
    "name", "language-id", "scope", "injection-regex", "file-types", "shebangs", "roots", "auto-format",
    "diagnostic-severity", "comment-tokens", "comment-token", "block-comment-tokens", "indent", "language-servers",
    "grammar", "formatter", "soft-wrap", "text-width", "rulers", "path-completion", "word-completion",
    "workspace-lsp-roots", "persistent-diagnostic-sources",
  ]);
  // Helix's names for the languages the server has grammars for.
  const helixLanguages = new Set(["typescript", "tsx", "javascript", "jsx", "python", "go", "rust", "java", "c", "cpp", "bash", "ruby"]);

  it("defines the codegen server with valid keys, starting codegen-language-server --stdio", () => {
    assert.deepEqual(Object.keys(toml).sort(), ["language", "language-server"]);
    const server = toml["language-server"].codegen;
    assert.ok(server, "[language-server.codegen] is missing");
    for (const key of Object.keys(server)) assert.ok(serverKeys.has(key), `unknown language-server key ${key}`);
    assert.equal(server.command, "codegen-language-server");
    assert.deepEqual(server.args, ["--stdio"]);
    assert.ok(typeof server.timeout === "number" && server.timeout > 20, "a timeout above Helix's 20 s default");
  });

  it("passes settings the server's schema accepts", () => {
    assertValidSettings(toml["language-server"].codegen.config, "[language-server.codegen.config]");
  });

  it("adds codegen beside each language's usual server, for completion and code actions only", () => {
    const names = toml.language.map((l: any) => l.name);
    assert.deepEqual([...new Set(names)].sort(), [...helixLanguages].sort(), "one entry per supported language");
    for (const lang of toml.language) {
      for (const key of Object.keys(lang)) assert.ok(languageKeys.has(key), `${lang.name}: unknown key ${key}`);
      const servers = lang["language-servers"] as Array<string | Record<string, any>>;
      assert.ok(Array.isArray(servers) && servers.length >= 2, `${lang.name}: keeps its usual server`);
      assert.equal(typeof servers[0], "string", `${lang.name}: the usual server comes first`);
      const ours = servers.filter((s) => typeof s === "object" && s.name === "codegen");
      assert.equal(ours.length, 1, `${lang.name}: codegen listed once`);
      const entry = ours[0] as Record<string, any>;
      for (const key of Object.keys(entry)) assert.ok(["name", "only-features", "except-features"].includes(key), key);
      for (const f of entry["only-features"]) assert.ok(features.has(f), `${lang.name}: unknown feature ${f}`);
      assert.ok(!entry["only-features"].includes("hover"), `${lang.name}: hover stays with the usual server`);
      assert.ok(!entry["only-features"].includes("format"), `${lang.name}: formatting stays with the usual server`);
      assert.ok(entry["only-features"].includes("code-action") && entry["only-features"].includes("completion"));
    }
  });
});

describe("client-configs: VS Code extension", function () {
  this.timeout(200_000);
  const dir = join(configs, "vscode");
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const properties = pkg.contributes.configuration.properties as Record<string, Record<string, unknown>>;

  /** Every leaf setting of the schema as [dotted key, schema node]. */
  function leaves(node: any, path: string[] = []): Array<[string, any]> {
    return Object.entries(node.properties ?? {}).flatMap(([name, child]: [string, any]) =>
      child.type === "object" && child.properties ? leaves(child, [...path, name]) : [[[...path, name].join("."), child]],
    );
  }

  it("exposes every schema setting with the schema's type, default, description and bounds", () => {
    const schemaLeaves = leaves(schema);
    assert.ok(schemaLeaves.length > 20);
    for (const [key, node] of schemaLeaves) {
      const setting = properties[`codegen.${key}`];
      assert.ok(setting, `codegen.${key} is missing from contributes.configuration`);
      for (const keyword of ["type", "default", "description", "enum", "minimum", "maximum", "items"]) {
        assert.deepEqual(setting[keyword], node[keyword], `codegen.${key}: ${keyword} differs from the schema`);
      }
    }
    const extra = Object.keys(properties).filter(
      (k) => !k.startsWith("codegen.server.") && !schemaLeaves.some(([key]) => `codegen.${key}` === k),
    );
    assert.deepEqual(extra, [], "settings the server does not know");
  });

  it("is generated by the script, not edited by hand (generate-configuration --check)", async () => {
    const r = run(process.execPath, [join(dir, "scripts", "generate-configuration.mjs"), "--check"]);
    assert.equal(r.status, 0, r.stderr + r.stdout);
    // The generator itself maps the schema; prove it reacts to a schema change.
    const mod = await import(pathToFileURL(join(dir, "scripts", "generate-configuration.mjs")).href);
    const changed = structuredClone(schema);
    changed.properties.hover.properties.minDelayMs.default = 1234;
    const generated = mod.configurationFromSchema(changed);
    assert.equal(generated.properties["codegen.hover.minDelayMs"].default, 1234);
  });

  it("compiles and packages into a .vsix with @vscode/vsce", function () {
    need(this, "client-configs/vscode/node_modules (npm ci --prefix client-configs/vscode)", existsSync(join(dir, "node_modules", "@vscode", "vsce")));
    const out = mkdtempSync(join(tmpdir(), "codegen-vsix-"));
    try {
      const tsc = run(process.execPath, [join(dir, "node_modules", "typescript", "bin", "tsc"), "-p", join(dir, "tsconfig.json")], { cwd: dir });
      assert.equal(tsc.status, 0, `tsc failed:\n${tsc.stdout}${tsc.stderr}`);
      const vsix = join(out, "codegen.vsix");
      const vsce = run(process.execPath, [join(dir, "node_modules", "@vscode", "vsce", "vsce"), "package", "--no-update-package-json", "--out", vsix], { cwd: dir });
      assert.equal(vsce.status, 0, `vsce package failed:\n${vsce.stdout}${vsce.stderr}`);
      assert.ok(existsSync(vsix), "no .vsix written");
      const list = run("unzip", ["-l", vsix]);
      if (list.status === 0) {
        assert.match(list.stdout, /extension\/out\/extension\.js/);
        assert.match(list.stdout, /extension\/node_modules\/vscode-languageclient\//);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe("client-configs: Neovim", function () {
  this.timeout(60_000);
  before(function () {
    need(this, "nvim", hasCommand("nvim"));
  });

  /**
   * Runs a config in Neovim with vim.lsp's 0.11 entry points recorded instead of executed, and
   * returns what it registered. This is how the 0.11 setup is checked on Neovim 0.7.
   */
  function captureConfig(file: string): { config: Record<string, any>; enabled: string[]; events: string[] } {
    const home = mkdtempSync(join(tmpdir(), "codegen-nvim-static-"));
    const out = join(home, "out.json");
    const script = `
      local captured = { enabled = {} }
      vim.lsp.config = function(name, cfg) captured.name = name; captured.config = cfg end
      vim.lsp.enable = function(name) table.insert(captured.enabled, name) end
      vim.lsp.completion = vim.lsp.completion or { enable = function() end }
      local real_create = vim.api.nvim_create_autocmd
      captured.events = {}
      vim.api.nvim_create_autocmd = function(event, opts)
        table.insert(captured.events, event)
        if event == "LspAttach" then return 0 end
        return real_create(event, opts)
      end
      local ok, err = pcall(dofile, ${JSON.stringify(file)})
      captured.error = not ok and tostring(err) or nil
      if captured.config then
        captured.config.on_attach = nil
      end
      vim.fn.writefile({ vim.fn.json_encode(captured) }, ${JSON.stringify(out)})
      vim.cmd("qa!")`;
    try {
      const r = run("nvim", ["--headless", "-n", "-i", "NONE", "-u", "NONE", "-c", `lua ${script.replace(/\n\s*/g, " ")}`], {
        env: { XDG_CONFIG_HOME: join(home, "c"), XDG_DATA_HOME: join(home, "d"), XDG_CACHE_HOME: join(home, "x"), XDG_STATE_HOME: join(home, "s") },
      });
      assert.ok(existsSync(out), `nvim wrote nothing: ${r.stderr}${r.stdout}`);
      const captured = JSON.parse(readFileSync(out, "utf8"));
      assert.equal(captured.error ?? null, null, `the config failed to load: ${captured.error}`);
      return { config: captured.config, enabled: captured.enabled, events: captured.events };
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }

  it("the 0.11+ setup registers and enables codegen with vim.lsp.config, sending valid settings", () => {
    const { config, enabled, events } = captureConfig(join(configs, "neovim", "codegen-0.11.lua"));
    assert.deepEqual(enabled, ["codegen"]);
    assert.deepEqual(config.cmd, ["codegen-language-server", "--stdio"]);
    for (const ft of ["typescript", "python", "go", "rust"]) assert.ok(config.filetypes.includes(ft), ft);
    assertValidSettings(config.init_options, "init_options");
    assertValidSettings(config.settings.codegen, "settings.codegen");
    assert.deepEqual(events, ["LspAttach"], "keymaps are set when the server attaches");
  });

  it("the 0.7-0.10 setup loads on this Neovim and registers its FileType autocmd", () => {
    const { events } = captureConfig(join(configs, "neovim", "codegen-0.7.lua"));
    assert.deepEqual(events, ["FileType"]);
  });
});

describe("client-configs: Emacs", function () {
  this.timeout(60_000);

  /** Evaluates `before`, loads `file`, evaluates `form` in batch Emacs; returns what the form printed and the log. */
  function emacsEval(file: string, form: string, before = "nil"): { status: number | null; out: string; log: string } {
    const home = mkdtempSync(join(tmpdir(), "codegen-emacs-static-"));
    try {
      const r = run("emacs", ["--batch", "--eval", before, "-l", file, "--eval", form], { env: { HOME: home } });
      return { status: r.status, out: r.stdout, log: r.stderr };
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }

  /** Byte-compiles `file` with warnings as errors, writing the .elc to a temporary file. */
  function assertByteCompiles(file: string): void {
    const home = mkdtempSync(join(tmpdir(), "codegen-emacs-bc-"));
    try {
      const setup = `(setq byte-compile-error-on-warn t byte-compile-dest-file-function (lambda (_) (expand-file-name "out.elc" ${JSON.stringify(home)})))`;
      const bc = run("emacs", ["--batch", "--eval", setup, "-f", "batch-byte-compile", file], { env: { HOME: home } });
      assert.equal(bc.status, 0, `byte-compile: ${bc.stdout}${bc.stderr}`);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }

  it("the eglot setup byte-compiles cleanly and registers codegen-language-server --stdio with valid settings", function () {
    need(this, "emacs with eglot", hasEglot());
    const file = join(configs, "emacs", "codegen-eglot.el");
    assertByteCompiles(file);
    const r = emacsEval(
      file,
      `(let* ((entry (cl-find-if (lambda (e) (equal (cadr e) "codegen-language-server")) eglot-server-programs))
              (contact (cdr entry)))
         (princ (json-encode (list :modes (vconcat (car entry))
                                   :program (car contact) :args (vconcat (seq-take-while #'stringp (cdr contact)))
                                   :options (plist-get contact :initializationOptions)
                                   :workspace (plist-get (default-value 'eglot-workspace-configuration) :codegen)
                                   :confirm (if eglot-confirm-server-initiated-edits t :json-false)))))`,
    );
    assert.equal(r.status, 0, r.log);
    const got = JSON.parse(r.out);
    assert.equal(got.program, "codegen-language-server");
    assert.deepEqual(got.args, ["--stdio"]);
    for (const mode of ["python-mode", "typescript-mode", "typescript-ts-mode", "go-mode", "rust-mode"]) assert.ok(got.modes.includes(mode), mode);
    assertValidSettings(got.options, ":initializationOptions");
    assertValidSettings(got.workspace, "eglot-workspace-configuration :codegen");
    assert.equal(got.confirm, false, "server-initiated edits (Generate implementation via executeCommand) apply without a prompt");
  });

  it("the lsp-mode setup byte-compiles cleanly and registers codegen as an add-on client with valid settings", function () {
    const hasLspMode = hasCommand("emacs") && run("emacs", ["--batch", "--eval", "(require 'lsp-mode)"]).status === 0;
    need(this, "emacs with lsp-mode (apt-get install elpa-lsp-mode)", hasLspMode);
    assertByteCompiles(join(configs, "emacs", "codegen-lsp-mode.el"));
    const r = emacsEval(
      join(configs, "emacs", "codegen-lsp-mode.el"),
      `(let ((client (gethash 'codegen lsp-clients)))
         (princ (json-encode (list :registered (if client t :json-false)
                                   :addOn (if (lsp--client-add-on? client) t :json-false)
                                   :command (vconcat codegen-test-command)
                                   :options (funcall (lsp--client-initialization-options client))))))`,
      // lsp-mode keeps the command inside a closure: record it on its way in.
      `(progn (require 'lsp-mode)
              (defvar codegen-test-command nil)
              (advice-add 'lsp-stdio-connection :before (lambda (command &rest _) (setq codegen-test-command command))))`,
    );
    assert.equal(r.status, 0, r.log);
    const got = JSON.parse(r.out);
    assert.equal(got.registered, true);
    assert.equal(got.addOn, true, "runs beside the usual server");
    assert.deepEqual(got.command, ["codegen-language-server", "--stdio"]);
    assertValidSettings(got.options, "codegen-lsp-initialization-options");
  });
});

describe("client-configs: README editor sections", () => {
  const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
  const excerpts = [...readme.matchAll(/<!-- from (client-configs\/[^ ]+) -->\n```[a-z]*\n([\s\S]*?)```/g)].map((m) => ({
    file: m[1]!,
    body: m[2]!,
  }));

  it("has a copy-paste excerpt for every setup in client-configs", () => {
    const files = new Set(excerpts.map((e) => e.file));
    for (const file of [
      "client-configs/neovim/codegen-0.11.lua",
      "client-configs/neovim/codegen-0.7.lua",
      "client-configs/emacs/codegen-eglot.el",
      "client-configs/emacs/codegen-lsp-mode.el",
      "client-configs/helix/languages.toml",
    ]) {
      assert.ok(files.has(file), `README has no excerpt of ${file}`);
    }
  });

  it("shows excerpts whose lines appear, in order, in the file they name", () => {
    for (const { file, body } of excerpts) {
      const source = readFileSync(join(repoRoot, file), "utf8").split("\n").map((l) => l.trim());
      let at = 0;
      for (const line of body.split("\n").map((l) => l.trim()).filter(Boolean)) {
        const found = source.indexOf(line, at);
        assert.ok(found >= 0, `README excerpt of ${file}: ${JSON.stringify(line)} is not in the file (after line ${at})`);
        at = found + 1;
      }
    }
  });
});
