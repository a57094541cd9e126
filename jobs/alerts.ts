// The alerts job: dispatches the alert outbox to Telegram (lib/alerts/dispatch.ts). Without a bot
// token it only counts what waits: the alerts stay pending until a token is configured.
import { DRAIN_DEFAULTS, drainOutbox } from "../lib/alerts/dispatch.ts";
import { countPending, recoverSending } from "../lib/alerts/outbox.ts";
import { DEFAULT_RETRY, limitsFromConfig } from "../lib/alerts/rate_limiter.ts";
import type { Job, JobCounts } from "../lib/jobs/job.ts";

export function createAlertsJob(): Job {
  return {
    name: "alerts",
    description: "Dispatch the alert outbox to Telegram",
    // Deliveries change no page: sending alerts must not re-render every cached page.
    showsOnPages: false,
    async run({ app, log, signal, fence }): Promise<JobCounts> {
      const sql = app.db.sql;
      if (!app.alertSender.delivers) {
        const { due, later } = await countPending(sql);
        if (due + later > 0) {
          log.info("alerts wait in the outbox: no TELEGRAM_BOT_TOKEN, nothing is sent", {
            due,
            later,
          });
        }
        return { "skipped.no_token": due + later };
      }
      // The job lock makes this run the only claimer: every row still 'sending' was left by a
      // run that stopped (or lost its lock, and its fence now refuses it new attempts).
      const recovered = await recoverSending(sql, { all: true });
      if (recovered.unknown + recovered.released > 0) {
        log.warn("recovered alerts left 'sending' by an earlier run", { ...recovered });
      }
      const { alerts, publicUrl } = app.config;
      const counts = await drainOutbox(sql, app.alertSender, {
        ...DRAIN_DEFAULTS,
        limits: limitsFromConfig(alerts.limits),
        policy: alerts,
        retry: DEFAULT_RETRY,
        publicUrl,
        signal,
        log,
        fence,
      });
      return { ...counts, unknown: counts.unknown + recovered.unknown };
    },
  };
}
