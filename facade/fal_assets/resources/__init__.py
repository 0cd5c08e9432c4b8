"""The resources a client exposes (`client.characters`, `client.assets`, ...), and the argument
checking, paging and filters only they use."""
