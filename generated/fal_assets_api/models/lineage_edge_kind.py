from enum import StrEnum


class LineageEdgeKind(StrEnum):
    GENERATED_BY = "generated_by"
    INPUT_TO = "input_to"
    REFERENCED_ENTITY = "referenced_entity"

    def __str__(self) -> str:
        return str(self.value)
