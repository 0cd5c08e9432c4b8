"""Contains all the data models used in inputs/outputs"""

from .character import Character
from .character_list_response import CharacterListResponse
from .character_response import CharacterResponse
from .character_type import CharacterType
from .create_character_request import CreateCharacterRequest
from .error import Error
from .error_response import ErrorResponse
from .error_type import ErrorType
from .update_character_request import UpdateCharacterRequest

__all__ = (
    "Character",
    "CharacterListResponse",
    "CharacterResponse",
    "CharacterType",
    "CreateCharacterRequest",
    "Error",
    "ErrorResponse",
    "ErrorType",
    "UpdateCharacterRequest",
)
