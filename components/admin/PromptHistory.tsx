// Every version of a model's prompt, newest first: its number, hash, date and template. A saved
// change makes a new version; predictions keep the version that made them.
import type { PromptVersion } from "../../lib/models/model.ts";
import { UtcTime } from "../UtcTime.tsx";

/** Hash characters shown: enough to tell versions apart at a glance; the full hash is in title. */
const SHORT_HASH = 12;

export function PromptHistory({ versions }: { versions: readonly PromptVersion[] }) {
  if (versions.length === 0) return <p>No prompt versions.</p>;
  return (
    <ul class="prompt-history">
      {versions.map((version, index) => (
        <li key={version.id}>
          <details>
            <summary>
              Version {version.version}
              {index === 0 && <span class="badge badge-live">current</span>}{" "}
              <code title={version.hash}>{version.hash.slice(0, SHORT_HASH)}</code>{" "}
              <UtcTime date={version.createdAt} />
            </summary>
            <pre class="prompt-text">{version.template}</pre>
          </details>
        </li>
      ))}
    </ul>
  );
}
