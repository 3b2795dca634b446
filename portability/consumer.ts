// A TypeScript consumer of the types openapi-typescript generates from openapi.yaml
// (parley.d.ts, written beside this file by scripts/check-portability). It only has to compile
// under `tsc --noEmit --strict`: each statement pins one property of the contract's types.
import type { components, operations, paths } from "./parley";

type Schemas = components["schemas"];

// Optional request fields stay optional, including those with a default (max_context_length).
export const createBody: Schemas["CreateConversationRequest"] = {
  agent_id: "3f1c2a9e-7b4d-4c1e-9a2f-5d6e7f8a9b0c",
};
export const createFull: Schemas["CreateConversationRequest"] = {
  ...createBody,
  title: null,
  max_context_length: 50,
  entity_type: "LEAD",
};

// Response fields are typed: title is a string or null.
export function conversationTitle(conversation: Schemas["Conversation"]): string {
  return conversation.title ?? "untitled";
}

// Request and response bodies reach through `paths` and `operations`.
type SendMessage = paths["/v1/conversation/{conversation_id}/chat"]["post"];
export const sendBody: SendMessage["requestBody"]["content"]["application/json"] = {
  message: "Hello!",
};
export function replyText(reply: SendMessage["responses"][200]["content"]["application/json"]): string {
  return reply.message.content;
}
export const listQuery: NonNullable<operations["listConversations"]["parameters"]["query"]> = {
  page: 1,
  per_page: 50,
};

// A stream event narrows on its `event` name; every name is handled (the switch is exhaustive).
export function describe(event: Schemas["ChatStreamEvent"]): string {
  switch (event.event) {
    case "start":
    case "delta":
    case "complete":
    case "error":
      return `${event.id} ${event.event}: ${event.data}`;
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
}
export function isDelta(event: Schemas["AgentStreamEvent"]): event is Schemas["DeltaEvent"] {
  return event.event === "delta";
}

// Tools that read the stream body whole see it as text (the RawEventStream branch).
type AgentStreamBody = paths["/agents/{agentKey}/conversations/stream"]["post"]["responses"][200]["content"]["text/event-stream"];
export const rawStream: AgentStreamBody = "id: 1\nevent: start\ndata: {}\n\n";

// Errors are Problem documents.
export function problemLine(problem: Schemas["Problem"]): string {
  return `${problem.status} ${problem.title}`;
}
