import { extractFimChatReply } from "../../prompts/fimChat.js";
import type { CompletionFilter } from "./types.js";

/** For chat replies: the code inside the fence, without an echo of the line before the cursor. */
export const extractChatReply: CompletionFilter = (text, ctx) => (ctx.chat ? extractFimChatReply(text, ctx.prefix) : text);
