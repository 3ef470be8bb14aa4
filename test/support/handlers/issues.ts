import { type IssueState, nextId, timestamp } from "../github-state.js";
import { type Handler, type HandlerContext, notFound, paginate, validationFailed } from "./context.js";

function issueOf(ctx: HandlerContext): IssueState {
  const issue = ctx.state.issues.get(Number(ctx.params["issue_number"]));
  if (!issue) throw notFound();
  return issue;
}

function commentOf(ctx: HandlerContext) {
  const comment = ctx.state.comments.find((c) => c.id === Number(ctx.params["comment_id"]));
  if (!comment) throw notFound();
  return comment;
}

function ensureLabels(ctx: HandlerContext, names: string[]): void {
  for (const name of names) {
    if (!ctx.state.labels.has(name)) {
      ctx.state.labels.set(name, { id: nextId(ctx.state), name, color: "ededed", description: null });
    }
  }
}

/** Labels arrive as names or as `{ name }` objects; GitHub accepts both. */
function labelNames(raw: unknown[] | undefined): string[] {
  return (raw ?? []).map((l) => (typeof l === "string" ? l : String((l as { name?: string }).name)));
}

/** Issues, issue comments (on issues and pull requests) and labels. */
export const issueHandlers: Record<string, Handler> = {
  "issues/list-comments": (ctx) => {
    issueOf(ctx);
    const since = ctx.query["since"] ? Date.parse(String(ctx.query["since"])) : 0;
    const comments = ctx.state.comments.filter(
      (c) => c.issueNumber === Number(ctx.params["issue_number"]) && Date.parse(c.updatedAt) >= since,
    );
    return paginate(ctx, comments, (c) => ctx.shapes.comment(c));
  },
  "issues/get-comment": (ctx) => ({ status: 200, body: ctx.shapes.comment(commentOf(ctx)) }),
  "issues/create-comment": (ctx) => {
    const issue = issueOf(ctx);
    const created = timestamp(ctx.state);
    const comment = {
      id: nextId(ctx.state),
      issueNumber: issue.number,
      body: String(ctx.body.body),
      user: ctx.actor,
      createdAt: created,
      updatedAt: created,
    };
    if (comment.body.length > 65_536)
      throw validationFailed(
        "IssueComment",
        "body",
        "custom",
        "body is too long (maximum is 65536 characters)",
      );
    ctx.state.comments.push(comment);
    return {
      status: 201,
      body: ctx.shapes.comment(comment),
      headers: { location: `${ctx.shapes.repoApi}/issues/comments/${comment.id}` },
    };
  },
  "issues/update-comment": (ctx) => {
    const comment = commentOf(ctx);
    const body = String(ctx.body.body);
    if (body.length > 65_536)
      throw validationFailed(
        "IssueComment",
        "body",
        "custom",
        "body is too long (maximum is 65536 characters)",
      );
    comment.body = body;
    comment.updatedAt = timestamp(ctx.state);
    return { status: 200, body: ctx.shapes.comment(comment) };
  },
  "issues/delete-comment": (ctx) => {
    const comment = commentOf(ctx);
    ctx.state.comments.splice(ctx.state.comments.indexOf(comment), 1);
    return { status: 204 };
  },
  "issues/get": (ctx) => ({ status: 200, body: ctx.shapes.issue(issueOf(ctx)) }),
  "issues/create": (ctx) => {
    const number = ctx.state.nextNumber;
    ctx.state.nextNumber += 1;
    const created = timestamp(ctx.state);
    const labels = labelNames(ctx.body.labels);
    ensureLabels(ctx, labels);
    const issue: IssueState = {
      number,
      title: String(ctx.body.title),
      body: ctx.body.body ?? null,
      state: "open",
      stateReason: null,
      labels,
      assignees: ctx.body.assignees ?? (ctx.body.assignee ? [ctx.body.assignee] : []),
      user: ctx.actor,
      isPullRequest: false,
      createdAt: created,
      updatedAt: created,
      closedAt: null,
    };
    ctx.state.issues.set(number, issue);
    return {
      status: 201,
      body: ctx.shapes.issue(issue),
      headers: { location: `${ctx.shapes.repoApi}/issues/${number}` },
    };
  },
  "issues/update": (ctx) => {
    const issue = issueOf(ctx);
    const b = ctx.body ?? {};
    if (b.title !== undefined && b.title !== null) issue.title = String(b.title);
    if (b.body !== undefined) issue.body = b.body;
    if (b.labels !== undefined) {
      issue.labels = labelNames(b.labels);
      ensureLabels(ctx, issue.labels);
    }
    if (b.assignees !== undefined) issue.assignees = b.assignees ?? [];
    if (b.state && b.state !== issue.state) {
      issue.state = b.state;
      issue.closedAt = b.state === "closed" ? timestamp(ctx.state) : null;
      issue.stateReason = b.state === "closed" ? (b.state_reason ?? "completed") : "reopened";
    }
    issue.updatedAt = timestamp(ctx.state);
    return { status: 200, body: ctx.shapes.issue(issue) };
  },
  "issues/list-for-repo": (ctx) => {
    const wantState = String(ctx.query["state"] ?? "open");
    const wanted = ctx.query["labels"]
      ? String(ctx.query["labels"])
          .split(",")
          .map((l) => l.trim())
      : [];
    const creator = ctx.query["creator"];
    const assignee = ctx.query["assignee"];
    const issues = [...ctx.state.issues.values()]
      .filter((i) => wantState === "all" || i.state === wantState)
      .filter((i) => wanted.every((l) => i.labels.includes(l)))
      .filter((i) => creator === undefined || i.user === creator)
      .filter(
        (i) =>
          assignee === undefined ||
          (assignee === "none"
            ? i.assignees.length === 0
            : assignee === "*"
              ? i.assignees.length > 0
              : i.assignees.includes(String(assignee))),
      )
      .sort((a, b) => b.number - a.number);
    if (ctx.query["direction"] === "asc") issues.reverse();
    return paginate(ctx, issues, (i) => ctx.shapes.issue(i));
  },
  "issues/add-assignees": (ctx) => {
    const issue = issueOf(ctx);
    for (const login of (ctx.body?.assignees ?? []) as string[]) {
      if (!issue.assignees.includes(login)) issue.assignees.push(login);
    }
    issue.updatedAt = timestamp(ctx.state);
    return { status: 201, body: ctx.shapes.issue(issue) };
  },
  "issues/add-labels": (ctx) => {
    const issue = issueOf(ctx);
    const raw = Array.isArray(ctx.body) ? ctx.body : (ctx.body?.labels ?? []);
    const names = labelNames(raw);
    ensureLabels(ctx, names);
    for (const name of names) if (!issue.labels.includes(name)) issue.labels.push(name);
    return { status: 200, body: issue.labels.map((n) => ctx.shapes.label(ctx.state.labels.get(n)!)) };
  },
  "issues/get-label": (ctx) => {
    const label = ctx.state.labels.get(String(ctx.params["name"]));
    if (!label) throw notFound();
    return { status: 200, body: ctx.shapes.label(label) };
  },
  "issues/create-label": (ctx) => {
    const name = String(ctx.body.name);
    if (ctx.state.labels.has(name)) throw validationFailed("Label", "name", "already_exists");
    const label = {
      id: nextId(ctx.state),
      name,
      color: String(ctx.body.color ?? "ededed").replace(/^#/, ""),
      description: ctx.body.description ?? null,
    };
    ctx.state.labels.set(name, label);
    return { status: 201, body: ctx.shapes.label(label) };
  },
};
