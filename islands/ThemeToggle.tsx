import { useSignal, useSignalEffect } from "@preact/signals";
import { useEffect } from "preact/hooks";

type Theme = "light" | "dark";

const STORAGE_KEY = "craveny-theme";

function storedTheme(): Theme | null {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return value === "light" || value === "dark" ? value : null;
  } catch {
    return null; // storage can be blocked (privacy settings): fall back to the system theme
  }
}

export default function ThemeToggle() {
  // null until hydrated: the server can't know the visitor's theme, and without JavaScript the
  // button could do nothing, so it stays hidden (the CSS follows prefers-color-scheme then).
  const theme = useSignal<Theme | null>(null);

  useEffect(() => {
    const dark = globalThis.matchMedia?.("(prefers-color-scheme: dark)").matches;
    theme.value = storedTheme() ?? (dark ? "dark" : "light");
  }, []);

  useSignalEffect(() => {
    if (theme.value) document.documentElement.dataset.theme = theme.value;
  });

  const dark = theme.value === "dark";
  const toggle = () => {
    const next: Theme = dark ? "light" : "dark";
    theme.value = next;
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Not persisted; the choice still holds for this page.
    }
  };

  return (
    <button
      type="button"
      class="theme-toggle"
      hidden={theme.value === null}
      aria-pressed={dark ? "true" : "false"}
      onClick={toggle}
    >
      Dark theme <span class="theme-toggle-state" aria-hidden="true">{dark ? "on" : "off"}</span>
    </button>
  );
}
