// Follow-ups: 我的待办, 完成 N, 推迟 N 到…, and the reminder card; reminders and the morning card are jobs.
import type { Feature } from "../engine/feature.ts";
import { handleListTodos } from "./list-todos.handler.ts";
import { reminderKind } from "./reminder-actions.handler.ts";
import { shownTodoListKind } from "./shown-list.ts";
import { handleCompleteTask, handleSnoozeTask } from "./task-actions.handler.ts";

export const tasksFeature: Feature = {
  name: "tasks",
  intents: { list_todos: handleListTodos, complete_task: handleCompleteTask, snooze_task: handleSnoozeTask },
  cards: [reminderKind],
  pending: [shownTodoListKind],
};
