// The account's alert rules in force, each in words (the bot's /list says the same) with a remove
// button.
import { PostButton } from "../admin/PostForm.tsx";
import { UtcTime } from "../UtcTime.tsx";
import { describeRule } from "../../lib/alerts/subscription_input.ts";
import type { Subscription } from "../../lib/alerts/subscriptions.ts";

export function AlertRuleTable({ rules, csrf }: { rules: Subscription[]; csrf: string }) {
  if (rules.length === 0) {
    return <p>No alert rules yet. Add one below, or send /subscribe to the bot.</p>;
  }
  return (
    <div class="table-scroll">
      <table class="data-table">
        <caption class="visually-hidden">Your alert rules</caption>
        <thead>
          <tr>
            <th scope="col">Rule</th>
            <th scope="col">Last alert</th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rules.map((rule) => (
            <tr key={rule.id}>
              <td>{describeRule(rule)}</td>
              <td>{rule.lastTriggeredAt ? <UtcTime date={rule.lastTriggeredAt} /> : "never"}</td>
              <td>
                <PostButton
                  action="/account"
                  intent="remove-rule"
                  csrf={csrf}
                  fields={{ id: String(rule.id) }}
                  label="Remove"
                  subject={describeRule(rule)}
                  danger
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
