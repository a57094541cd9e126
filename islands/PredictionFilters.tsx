// The predictions filters, live: the server-rendered GET form (PredictionFilterForm) works on its
// own; once this island hydrates, changing a field updates the list in place (debounced) — it
// fetches the page for the new query, swaps in its results and CSV link, and puts the query in
// the address bar (history.replaceState), so the URL can be shared or reloaded as before. If the
// fetch fails (or the server answers an error, say a bad date), it navigates there instead.
import { Component, type ComponentChildren } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import { PredictionFilterForm } from "../components/PredictionFilterForm.tsx";
import { filterQuery, predictionsUrl } from "../lib/predictions/filter_query.ts";
import type { PredictionFilters as Filters } from "../lib/predictions/query.ts";
import { debounce } from "../lib/util/debounce.ts";

export interface PredictionFiltersProps {
  filters: Filters;
  models: string[];
}

/** Ids of the page's parts that depend on the filters (routes/predictions/index.tsx sets them). */
export const RESULTS_ID = "prediction-results";
export const CSV_LINK_ID = "predictions-csv";
const FILTERED_PARTS = [RESULTS_ID, CSV_LINK_ID];
const TYPING_PAUSE_MS = 400;

/**
 * Renders its children once. After hydration the form's fields belong to the visitor: rendering
 * the form again (when the status line changes) would put the server's values back, since preact
 * writes a `value` prop to a field that differs from it.
 */
class RenderedOnce extends Component<{ children: ComponentChildren }> {
  override shouldComponentUpdate(): boolean {
    return false;
  }

  override render(): ComponentChildren {
    return this.props.children;
  }
}

/** What a screen reader hears once the list changed. */
function describe(results: Element | null): string {
  const rows = results?.querySelectorAll("tbody tr").length ?? 0;
  return rows === 0 ? "No predictions match these filters." : `${rows} predictions shown.`;
}

/** A filter the server refused (400): its message is shown by the form; the list stays. */
class RefusedFilter extends Error {}

async function showFiltered(url: string, signal: AbortSignal): Promise<string> {
  const response = await fetch(url, { signal, headers: { accept: "text/html" } });
  const page = new DOMParser().parseFromString(await response.text(), "text/html");
  if (response.status === 400) {
    // The error page (routes/_500.tsx) says what was wrong in its first paragraph.
    throw new RefusedFilter(page.querySelector(".message p")?.textContent ?? "Check the filters.");
  }
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  for (const id of FILTERED_PARTS) {
    const next = page.getElementById(id);
    if (next) document.getElementById(id)?.replaceWith(next);
  }
  history.replaceState(history.state, "", url);
  return describe(document.getElementById(RESULTS_ID));
}

export default function PredictionFilters({ filters, models }: PredictionFiltersProps) {
  const [status, setStatus] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const update = useMemo(() => {
    let inFlight: AbortController | null = null;
    return debounce((form: HTMLFormElement) => {
      const url = predictionsUrl(filterQuery(new FormData(form)));
      inFlight?.abort();
      const controller = new AbortController();
      inFlight = controller;
      setStatus("Updating…");
      showFiltered(url, controller.signal).then((done) => {
        setProblem(null);
        setStatus(done);
      }, (error) => {
        // Superseded by a newer change: that one reports.
        if (controller.signal.aborted) return;
        if (error instanceof RefusedFilter) {
          setStatus("");
          setProblem(error.message);
        } else {
          location.assign(url); // let the server's page say what went wrong
        }
      });
    }, TYPING_PAUSE_MS);
  }, []);
  useEffect(() => () => update.cancel(), []);

  const formOf = (root: HTMLElement) => root.querySelector("form");
  return (
    <div
      class="live-filters"
      onInput={(event) => {
        const form = formOf(event.currentTarget);
        if (form) update(form);
      }}
      onSubmit={(event) => {
        event.preventDefault();
        const form = formOf(event.currentTarget);
        if (form) {
          update(form);
          update.flush();
        }
      }}
    >
      <RenderedOnce>
        <PredictionFilterForm filters={filters} models={models} />
      </RenderedOnce>
      {problem !== null && <p class="filter-problem" role="alert">{problem}</p>}
      <p role="status" class="visually-hidden">{status}</p>
    </div>
  );
}
