// Names shared by the server renderer and the browser runtime (kept free of imports so the
// browser bundle pulls in nothing else).
export const ISLAND_TAG = "craveny-island";
export const PAYLOAD_ID = "__craveny_islands";
