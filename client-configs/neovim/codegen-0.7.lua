-- codegen-language-server for Neovim 0.7 to 0.10 (no nvim-lspconfig needed).
--
-- Copy this file to ~/.config/nvim/plugin/codegen.lua (or paste it into init.lua).
-- It needs `codegen-language-server` on your PATH (`npm install -g codegen-language-server`).
-- For Neovim 0.11 and later use codegen-0.11.lua instead.

-- Every key of server/settings/schema.json can go here; the same table is sent as
-- `initializationOptions` when the server starts and answered to `workspace/configuration`
-- (section "codegen"). With nothing set the server uses OpenAI when OPENAI_API_KEY is set,
-- otherwise a local Ollama.
local settings = {
  -- provider = "ollama",          -- openai | ollama | llamacpp | vllm | lmstudio | openrouter | custom
  -- baseUrl = "http://127.0.0.1:11434/v1",
  -- completion = { model = "qwen2.5-coder:1.5b" },
  -- actions = { model = "qwen2.5-coder:7b" },
  -- hover = { enabled = true },
  logLevel = "info",
}

local filetypes = {
  "typescript", "typescriptreact", "javascript", "javascriptreact",
  "python", "go", "rust", "java", "c", "cpp", "sh", "bash", "ruby",
}
local root_markers = { ".git", "package.json", "pyproject.toml", "go.mod", "Cargo.toml", "pom.xml" }

-- The project root is the nearest folder above the file holding one of the markers.
-- NOTE: vim.fs.find only exists from 0.8 on, so this walks up with plain path functions.
local function find_root(bufnr)
  local dir = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(bufnr), ":p:h")
  while dir and dir ~= "" do
    for _, marker in ipairs(root_markers) do
      if vim.loop.fs_stat(dir .. "/" .. marker) then
        return dir
      end
    end
    local parent = vim.fn.fnamemodify(dir, ":h")
    if parent == dir then
      break
    end
    dir = parent
  end
  return vim.fn.getcwd()
end

-- Suggested keymaps, set in every buffer the server attaches to.
local function on_attach(_, bufnr)
  local opts = { buffer = bufnr }
  -- Code actions: "Generate implementation", "Add tests", "Document", "Explain", "Fix: ...".
  vim.keymap.set("n", "<leader>ca", vim.lsp.buf.code_action, opts)
  -- Hover: the model's explanation of the symbol under the cursor.
  vim.keymap.set("n", "<leader>ch", vim.lsp.buf.hover, opts)
  -- Completion from the model with <C-x><C-o> in insert mode.
  vim.api.nvim_buf_set_option(bufnr, "omnifunc", "v:lua.vim.lsp.omnifunc")
end

-- One server per project root, shared by every buffer below it (vim.lsp.start does this on 0.8+).
local clients_by_root = {}

vim.api.nvim_create_autocmd("FileType", {
  group = vim.api.nvim_create_augroup("codegen-language-server", { clear = true }),
  pattern = filetypes,
  callback = function(args)
    local root = find_root(args.buf)
    local config = {
      name = "codegen",
      cmd = { "codegen-language-server", "--stdio" },
      root_dir = root,
      init_options = settings,
      settings = { codegen = settings },
      on_attach = on_attach,
    }
    if vim.lsp.start then
      vim.lsp.start(config, { bufnr = args.buf })
      return
    end
    -- Neovim 0.7: start the client once per root, then attach each buffer to it.
    local id = clients_by_root[root]
    if not id or vim.lsp.client_is_stopped(id) then
      id = vim.lsp.start_client(config)
      clients_by_root[root] = id
    end
    if id then
      vim.lsp.buf_attach_client(args.buf, id)
    end
  end,
})
