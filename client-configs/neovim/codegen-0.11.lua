-- codegen-language-server for Neovim 0.11 and later.
--
-- Copy this file to ~/.config/nvim/plugin/codegen.lua (or paste it into init.lua).
-- It needs `codegen-language-server` on your PATH (`npm install -g codegen-language-server`).
-- For Neovim 0.7 to 0.10 use codegen-0.7.lua instead.

-- Every key of server/settings/schema.json can go here; the same table is sent as
-- `initializationOptions` when the server starts and answered to `workspace/configuration`
-- (section "codegen"), so changing it and running :LspRestart is all it takes.
-- With nothing set the server uses OpenAI when OPENAI_API_KEY is set, otherwise a local Ollama.
local settings = {
  -- provider = "ollama",          -- openai | ollama | llamacpp | vllm | lmstudio | openrouter | custom
  -- baseUrl = "http://127.0.0.1:11434/v1",
  -- completion = { model = "qwen2.5-coder:1.5b" },
  -- actions = { model = "qwen2.5-coder:7b" },
  -- hover = { enabled = true },
  logLevel = "info",
}

vim.lsp.config("codegen", {
  cmd = { "codegen-language-server", "--stdio" },
  filetypes = {
    "typescript", "typescriptreact", "javascript", "javascriptreact",
    "python", "go", "rust", "java", "c", "cpp", "sh", "bash", "ruby",
  },
  root_markers = { ".git", "package.json", "pyproject.toml", "go.mod", "Cargo.toml", "pom.xml" },
  init_options = settings,
  settings = { codegen = settings },
})
vim.lsp.enable("codegen")

-- Suggested keymaps. Neovim 0.11 already maps `gra` (code actions) and `K` (hover) for every
-- server; these add shorter ones and turn on completion from the server while you type.
vim.api.nvim_create_autocmd("LspAttach", {
  group = vim.api.nvim_create_augroup("codegen-language-server", { clear = true }),
  callback = function(args)
    local client = vim.lsp.get_client_by_id(args.data.client_id)
    if not client or client.name ~= "codegen" then
      return
    end
    local opts = { buffer = args.buf }
    -- Code actions: "Generate implementation", "Add tests", "Document", "Explain", "Fix: ...".
    vim.keymap.set({ "n", "x" }, "<leader>ca", vim.lsp.buf.code_action, opts)
    -- Hover: the model's explanation of the symbol under the cursor.
    vim.keymap.set("n", "<leader>ch", vim.lsp.buf.hover, opts)
    -- Completion: <C-x><C-o> asks the server; this makes it show up as you type.
    vim.lsp.completion.enable(true, client.id, args.buf, { autotrigger = true })
  end,
})
