/**
 * Real Neovim (Debian's 0.7) in headless mode, configured with client-configs/neovim/codegen-0.7.lua
 * exactly as a user copies it; test/editors/nvim/driver.lua runs the steps inside Neovim.
 */
import { join } from "node:path";
import { hasCommand, repoRoot, tail } from "./harness.js";
import type { EditorDriver } from "./scenarios.js";
import { defineEditorSuite } from "./suite.js";

const neovim: EditorDriver = {
  name: "Neovim",
  actionPath: "resolve",
  config: join(repoRoot, "client-configs", "neovim", "codegen-0.7.lua"),
  command(_planPath, home) {
    return {
      command: "nvim",
      args: ["--headless", "-n", "-i", "NONE", "-u", join(repoRoot, "test", "editors", "nvim", "driver.lua")],
      // Separate XDG folders keep the host's Neovim config, plugins and LSP log out of the run.
      env: {
        XDG_CONFIG_HOME: join(home, "config"),
        XDG_DATA_HOME: join(home, "data"),
        XDG_CACHE_HOME: join(home, "cache"),
        XDG_STATE_HOME: join(home, "state"),
      },
    };
  },
  logs(result, _plan, home) {
    return { "Neovim LSP log (lsp.log)": tail(result?.lspLog ?? join(home, "cache", "nvim", "lsp.log")) };
  },
};

defineEditorSuite(neovim, () => hasCommand("nvim"), "Neovim");
