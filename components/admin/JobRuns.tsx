// A job's recent runs, newest first: when, how it ended, what it counted and what went wrong.
import type { JobRunRow } from "../../lib/jobs/store.ts";
import { UtcTime } from "../UtcTime.tsx";

function duration(run: JobRunRow): string {
  if (!run.finishedAt) return "running";
  const seconds = (run.finishedAt.getTime() - run.startedAt.getTime()) / 1000;
  return seconds < 60 ? `${seconds.toFixed(1)} s` : `${(seconds / 60).toFixed(1)} min`;
}

export function JobRuns({ job, runs }: { job: string; runs: readonly JobRunRow[] }) {
  if (runs.length === 0) return <p class="muted">No runs yet.</p>;
  return (
    <div class="table-scroll">
      <table class="data-table admin-table job-runs">
        <caption class="visually-hidden">Recent runs of {job}, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Started</th>
            <th scope="col">Took</th>
            <th scope="col">Status</th>
            <th scope="col">Counts</th>
            <th scope="col">Error</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <tr key={run.id}>
              <td>
                <UtcTime date={run.startedAt} />
              </td>
              <td>{duration(run)}</td>
              <td>
                <span class={`run-status run-${run.status}`}>{run.status}</span>
              </td>
              <td>
                {Object.keys(run.counts).length === 0
                  ? <span class="muted">none</span>
                  : (
                    <ul class="plain-list">
                      {Object.entries(run.counts).map(([name, value]) => (
                        <li key={name}>
                          {name}: {value}
                        </li>
                      ))}
                    </ul>
                  )}
              </td>
              <td>{run.error && <pre class="error-text">{run.error}</pre>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
