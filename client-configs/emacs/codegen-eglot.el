;;; codegen-eglot.el --- codegen-language-server with eglot  -*- lexical-binding: t; -*-

;; Copy this into your init file, or save it on your `load-path' and `(require 'codegen-eglot)'.
;; Needs eglot (built in from Emacs 29; `apt install elpa-eglot' or M-x package-install on 28)
;; and `codegen-language-server' on your PATH (`npm install -g codegen-language-server').
;;
;; NOTE: eglot runs one server per buffer, so for the modes listed below this server takes the
;; place of the usual one (pyright, typescript-language-server...).  To keep both, use lsp-mode
;; with codegen-lsp-mode.el, where this server runs as an add-on beside the usual one.

;;; Code:

(require 'eglot)

(defvar codegen-initialization-options
  ;; Every key of server/settings/schema.json can go here, as a plist.  With nothing set the
  ;; server uses OpenAI when OPENAI_API_KEY is set, otherwise a local Ollama.
  ;;   :provider "ollama"            ; openai | ollama | llamacpp | vllm | lmstudio | openrouter | custom
  ;;   :baseUrl "http://127.0.0.1:11434/v1"
  ;;   :completion (:model "qwen2.5-coder:1.5b")
  ;;   :actions (:model "qwen2.5-coder:7b")
  ;;   :hover (:enabled t)           ; use :json-false for false
  '(:logLevel "info")
  "Settings sent to codegen-language-server as `initializationOptions'.")

(defvar codegen-major-modes
  '(python-mode python-ts-mode
    typescript-mode typescript-ts-mode tsx-ts-mode
    js-mode js-ts-mode
    go-mode go-ts-mode rust-mode rust-ts-mode
    java-mode java-ts-mode c-mode c-ts-mode c++-mode c++-ts-mode
    sh-mode bash-ts-mode ruby-mode ruby-ts-mode)
  "Major modes in which eglot starts codegen-language-server.")

(add-to-list 'eglot-server-programs
             `(,codegen-major-modes
               . ("codegen-language-server" "--stdio"
                  :initializationOptions ,codegen-initialization-options)))

;; The same settings answer the server's `workspace/configuration' request (section "codegen"),
;; so they can also be set per project in .dir-locals.el.
(setq-default eglot-workspace-configuration
              `(:codegen ,codegen-initialization-options))

;; "Generate implementation" reaches eglot as a command whose edit arrives later through
;; `workspace/applyEdit'; without this eglot asks "Server wants to edit ... Proceed?" every time.
(setq eglot-confirm-server-initiated-edits nil)

;; Start the server when a file of one of those modes is opened.
(dolist (mode codegen-major-modes)
  (add-hook (intern (format "%s-hook" mode)) #'eglot-ensure))

;; Suggested keys: code actions ("Generate implementation", "Add tests", "Document", "Explain")
;; and the model's explanation of the symbol at point.  Completion arrives through
;; `completion-at-point' (C-M-i), or as you type with company or corfu.
(with-eval-after-load 'eglot
  (define-key eglot-mode-map (kbd "C-c c a") #'eglot-code-actions)
  (define-key eglot-mode-map (kbd "C-c c h") #'eldoc-doc-buffer))

(provide 'codegen-eglot)
;;; codegen-eglot.el ends here
