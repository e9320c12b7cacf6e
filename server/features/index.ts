import type { Feature } from "./feature.js";
import { codeActionsFeature } from "./codeActions.js";
import { completionFeature } from "./completion.js";
import { contextWarmupFeature } from "./contextWarmup.js";
import { hoverFeature } from "./hover.js";

/** Every feature the server offers; server.ts registers them in this order. */
export const features: Feature[] = [hoverFeature, codeActionsFeature, completionFeature, contextWarmupFeature];
