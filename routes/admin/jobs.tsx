// The jobs: each one's recent runs with their counts and errors, and a button to run it now
// (lib/jobs/trigger.ts); while one runs (here, on schedule or in another process), "Run now" only
// says so.
import { FlashBanner } from "../../components/admin/FlashBanner.tsx";
import { formActions, formText, redirectWithFlash } from "../../lib/http/form_actions.ts";
import { JobRuns } from "../../components/admin/JobRuns.tsx";
import { PostButton } from "../../components/admin/PostForm.tsx";
import { JOBS } from "../../jobs/registry.ts";
import { define } from "../../lib/fresh/define.ts";
import { BadRequest } from "../../lib/http/errors.ts";
import { isJobName, JOB_NAMES, type JobName } from "../../lib/jobs/job.ts";
import { type JobRunRow, recentRuns } from "../../lib/jobs/store.ts";
import { startJobNow, type TriggerResult } from "../../lib/jobs/trigger.ts";

const PATH = "/admin/jobs";
const RUNS_PER_JOB = 5;

const START_MESSAGES: Record<TriggerResult, (job: JobName) => string> = {
  started: (job) => `${job} started. Reload this page to follow it.`,
  busy: (job) => `${job} is already running; nothing new was started.`,
  failed: (job) => `${job} could not start: the server log says why.`,
};

/** "started-crawl" → its message, for every job and start. */
const FLASHES = Object.fromEntries(
  JOB_NAMES.flatMap((job) =>
    Object.entries(START_MESSAGES).map(([start, message]) => [`${start}-${job}`, message(job)])
  ),
);

interface JobsData {
  jobs: { name: JobName; description: string; runs: JobRunRow[] }[];
}

export const handler = define.handlers<JobsData>({
  async GET(_req, ctx) {
    const { sql } = ctx.state.app.db;
    const jobs = await Promise.all(JOB_NAMES.map(async (name) => ({
      name,
      description: JOBS[name].description,
      runs: await recentRuns(sql, name, RUNS_PER_JOB),
    })));
    return ctx.render({ jobs });
  },
  POST: formActions<JobsData>({
    async run(form, ctx) {
      const name = formText(form, "job");
      if (!isJobName(name)) throw new BadRequest(`job: expected one of ${JOB_NAMES.join(", ")}`);
      const start = await startJobNow(JOBS[name], ctx.state.app);
      return redirectWithFlash(PATH, `${start}-${name}`);
    },
  }),
});

export default define.page<JobsData>(({ data, url, state }) => (
  <>
    <div class="page-heading">
      <h1>Jobs</h1>
    </div>
    <FlashBanner url={url} messages={FLASHES} />
    {data.jobs.map((job) => (
      <section key={job.name} aria-labelledby={`job-${job.name}`} class="job">
        <div class="section-heading">
          <h2 id={`job-${job.name}`}>{job.name}</h2>
          <PostButton
            action={PATH}
            intent="run"
            csrf={state.csrfToken}
            fields={{ job: job.name }}
            label="Run now"
            subject={job.name}
          />
        </div>
        <p class="muted">{job.description}</p>
        <JobRuns job={job.name} runs={job.runs} />
      </section>
    ))}
  </>
));
