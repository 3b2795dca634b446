from enum import StrEnum


class AgentMessageType(StrEnum):
    BOT_RESPONSE = "bot_response"
    USER_QUERY = "user_query"

    def __str__(self) -> str:
        return str(self.value)
