import type { Feature } from "./feature.js";

/** Every feature the server offers; server.ts registers them in this order. */
export const features: Feature[] = [];
