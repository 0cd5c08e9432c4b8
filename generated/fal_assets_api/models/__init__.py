"""Contains all the data models used in inputs/outputs. Each loads on first use, so that importing one model
does not import them all; type checkers and IDEs read the imports below."""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .acl_rule import AclRule
    from .acl_rule_decision import AclRuleDecision
    from .asset import Asset
    from .asset_lineage import AssetLineage
    from .asset_lineage_response import AssetLineageResponse
    from .asset_list_response import AssetListResponse
    from .asset_reference import AssetReference
    from .asset_response import AssetResponse
    from .asset_type import AssetType
    from .character import Character
    from .character_list_response import CharacterListResponse
    from .character_response import CharacterResponse
    from .character_type import CharacterType
    from .collection import Collection
    from .collection_ancestor import CollectionAncestor
    from .collection_ancestor_type import CollectionAncestorType
    from .collection_hierarchy_response import CollectionHierarchyResponse
    from .collection_list_response import CollectionListResponse
    from .collection_response import CollectionResponse
    from .collection_tree import CollectionTree
    from .collection_tree_level_1 import CollectionTreeLevel1
    from .collection_tree_level_1_type import CollectionTreeLevel1Type
    from .collection_tree_level_2 import CollectionTreeLevel2
    from .collection_tree_level_2_type import CollectionTreeLevel2Type
    from .collection_tree_level_3 import CollectionTreeLevel3
    from .collection_tree_level_3_type import CollectionTreeLevel3Type
    from .collection_tree_level_4 import CollectionTreeLevel4
    from .collection_tree_level_4_type import CollectionTreeLevel4Type
    from .collection_tree_type import CollectionTreeType
    from .collection_type import CollectionType
    from .create_character_request import CreateCharacterRequest
    from .create_collection_request import CreateCollectionRequest
    from .create_entity_request import CreateEntityRequest
    from .create_entity_request_type import CreateEntityRequestType
    from .create_tag_request import CreateTagRequest
    from .entity import Entity
    from .entity_list_response import EntityListResponse
    from .entity_response import EntityResponse
    from .entity_type import EntityType
    from .error import Error
    from .error_response import ErrorResponse
    from .error_type import ErrorType
    from .favorite_asset_response import FavoriteAssetResponse
    from .file_acl import FileAcl
    from .file_acl_default import FileAclDefault
    from .file_acl_request import FileAclRequest
    from .file_acl_request_default import FileAclRequestDefault
    from .lineage_asset_node import LineageAssetNode
    from .lineage_asset_node_kind import LineageAssetNodeKind
    from .lineage_asset_node_type import LineageAssetNodeType
    from .lineage_edge import LineageEdge
    from .lineage_edge_entity import LineageEdgeEntity
    from .lineage_edge_entity_entity_type import LineageEdgeEntityEntityType
    from .lineage_edge_kind import LineageEdgeKind
    from .lineage_edge_role_type_0 import LineageEdgeRoleType0
    from .lineage_entity_node import LineageEntityNode
    from .lineage_entity_node_entity_type import LineageEntityNodeEntityType
    from .lineage_entity_node_kind import LineageEntityNodeKind
    from .lineage_external_input_node import LineageExternalInputNode
    from .lineage_external_input_node_kind import LineageExternalInputNodeKind
    from .lineage_request_node import LineageRequestNode
    from .lineage_request_node_kind import LineageRequestNodeKind
    from .list_asset_collection_assets_media_type_type_0_item import ListAssetCollectionAssetsMediaTypeType0Item
    from .list_asset_collection_assets_section import ListAssetCollectionAssetsSection
    from .list_asset_collection_assets_source_type_0_item import ListAssetCollectionAssetsSourceType0Item
    from .list_asset_collection_assets_tag_mode import ListAssetCollectionAssetsTagMode
    from .list_asset_entities_types_type_0_item import ListAssetEntitiesTypesType0Item
    from .list_assets_media_type_type_0_item import ListAssetsMediaTypeType0Item
    from .list_assets_section import ListAssetsSection
    from .list_assets_source_type_0_item import ListAssetsSourceType0Item
    from .list_assets_tag_mode import ListAssetsTagMode
    from .move_collection_request import MoveCollectionRequest
    from .set_asset_tags_request import SetAssetTagsRequest
    from .sign_file_url_request import SignFileUrlRequest
    from .signed_url_response import SignedUrlResponse
    from .storage_settings import StorageSettings
    from .storage_settings_acl_request_type_0 import StorageSettingsAclRequestType0
    from .storage_settings_acl_request_type_0_default import StorageSettingsAclRequestType0Default
    from .storage_settings_acl_type_0 import StorageSettingsAclType0
    from .storage_settings_acl_type_0_default import StorageSettingsAclType0Default
    from .success_response import SuccessResponse
    from .tag import Tag
    from .tag_list_response import TagListResponse
    from .tag_response import TagResponse
    from .update_character_request import UpdateCharacterRequest
    from .update_collection_request import UpdateCollectionRequest
    from .update_entity_request import UpdateEntityRequest
    from .update_storage_settings_request import UpdateStorageSettingsRequest
    from .update_tag_request import UpdateTagRequest
    from .upload_asset_request import UploadAssetRequest
    from .upload_asset_request_type import UploadAssetRequestType

_MODULES = {
    "AclRule": ".acl_rule",
    "AclRuleDecision": ".acl_rule_decision",
    "Asset": ".asset",
    "AssetLineage": ".asset_lineage",
    "AssetLineageResponse": ".asset_lineage_response",
    "AssetListResponse": ".asset_list_response",
    "AssetReference": ".asset_reference",
    "AssetResponse": ".asset_response",
    "AssetType": ".asset_type",
    "Character": ".character",
    "CharacterListResponse": ".character_list_response",
    "CharacterResponse": ".character_response",
    "CharacterType": ".character_type",
    "Collection": ".collection",
    "CollectionAncestor": ".collection_ancestor",
    "CollectionAncestorType": ".collection_ancestor_type",
    "CollectionHierarchyResponse": ".collection_hierarchy_response",
    "CollectionListResponse": ".collection_list_response",
    "CollectionResponse": ".collection_response",
    "CollectionTree": ".collection_tree",
    "CollectionTreeLevel1": ".collection_tree_level_1",
    "CollectionTreeLevel1Type": ".collection_tree_level_1_type",
    "CollectionTreeLevel2": ".collection_tree_level_2",
    "CollectionTreeLevel2Type": ".collection_tree_level_2_type",
    "CollectionTreeLevel3": ".collection_tree_level_3",
    "CollectionTreeLevel3Type": ".collection_tree_level_3_type",
    "CollectionTreeLevel4": ".collection_tree_level_4",
    "CollectionTreeLevel4Type": ".collection_tree_level_4_type",
    "CollectionTreeType": ".collection_tree_type",
    "CollectionType": ".collection_type",
    "CreateCharacterRequest": ".create_character_request",
    "CreateCollectionRequest": ".create_collection_request",
    "CreateEntityRequest": ".create_entity_request",
    "CreateEntityRequestType": ".create_entity_request_type",
    "CreateTagRequest": ".create_tag_request",
    "Entity": ".entity",
    "EntityListResponse": ".entity_list_response",
    "EntityResponse": ".entity_response",
    "EntityType": ".entity_type",
    "Error": ".error",
    "ErrorResponse": ".error_response",
    "ErrorType": ".error_type",
    "FavoriteAssetResponse": ".favorite_asset_response",
    "FileAcl": ".file_acl",
    "FileAclDefault": ".file_acl_default",
    "FileAclRequest": ".file_acl_request",
    "FileAclRequestDefault": ".file_acl_request_default",
    "LineageAssetNode": ".lineage_asset_node",
    "LineageAssetNodeKind": ".lineage_asset_node_kind",
    "LineageAssetNodeType": ".lineage_asset_node_type",
    "LineageEdge": ".lineage_edge",
    "LineageEdgeEntity": ".lineage_edge_entity",
    "LineageEdgeEntityEntityType": ".lineage_edge_entity_entity_type",
    "LineageEdgeKind": ".lineage_edge_kind",
    "LineageEdgeRoleType0": ".lineage_edge_role_type_0",
    "LineageEntityNode": ".lineage_entity_node",
    "LineageEntityNodeEntityType": ".lineage_entity_node_entity_type",
    "LineageEntityNodeKind": ".lineage_entity_node_kind",
    "LineageExternalInputNode": ".lineage_external_input_node",
    "LineageExternalInputNodeKind": ".lineage_external_input_node_kind",
    "LineageRequestNode": ".lineage_request_node",
    "LineageRequestNodeKind": ".lineage_request_node_kind",
    "ListAssetCollectionAssetsMediaTypeType0Item": ".list_asset_collection_assets_media_type_type_0_item",
    "ListAssetCollectionAssetsSection": ".list_asset_collection_assets_section",
    "ListAssetCollectionAssetsSourceType0Item": ".list_asset_collection_assets_source_type_0_item",
    "ListAssetCollectionAssetsTagMode": ".list_asset_collection_assets_tag_mode",
    "ListAssetEntitiesTypesType0Item": ".list_asset_entities_types_type_0_item",
    "ListAssetsMediaTypeType0Item": ".list_assets_media_type_type_0_item",
    "ListAssetsSection": ".list_assets_section",
    "ListAssetsSourceType0Item": ".list_assets_source_type_0_item",
    "ListAssetsTagMode": ".list_assets_tag_mode",
    "MoveCollectionRequest": ".move_collection_request",
    "SetAssetTagsRequest": ".set_asset_tags_request",
    "SignFileUrlRequest": ".sign_file_url_request",
    "SignedUrlResponse": ".signed_url_response",
    "StorageSettings": ".storage_settings",
    "StorageSettingsAclRequestType0": ".storage_settings_acl_request_type_0",
    "StorageSettingsAclRequestType0Default": ".storage_settings_acl_request_type_0_default",
    "StorageSettingsAclType0": ".storage_settings_acl_type_0",
    "StorageSettingsAclType0Default": ".storage_settings_acl_type_0_default",
    "SuccessResponse": ".success_response",
    "Tag": ".tag",
    "TagListResponse": ".tag_list_response",
    "TagResponse": ".tag_response",
    "UpdateCharacterRequest": ".update_character_request",
    "UpdateCollectionRequest": ".update_collection_request",
    "UpdateEntityRequest": ".update_entity_request",
    "UpdateStorageSettingsRequest": ".update_storage_settings_request",
    "UpdateTagRequest": ".update_tag_request",
    "UploadAssetRequest": ".upload_asset_request",
    "UploadAssetRequestType": ".upload_asset_request_type",
}


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_MODULES])


__all__ = (
    "AclRule",
    "AclRuleDecision",
    "Asset",
    "AssetLineage",
    "AssetLineageResponse",
    "AssetListResponse",
    "AssetReference",
    "AssetResponse",
    "AssetType",
    "Character",
    "CharacterListResponse",
    "CharacterResponse",
    "CharacterType",
    "Collection",
    "CollectionAncestor",
    "CollectionAncestorType",
    "CollectionHierarchyResponse",
    "CollectionListResponse",
    "CollectionResponse",
    "CollectionTree",
    "CollectionTreeLevel1",
    "CollectionTreeLevel1Type",
    "CollectionTreeLevel2",
    "CollectionTreeLevel2Type",
    "CollectionTreeLevel3",
    "CollectionTreeLevel3Type",
    "CollectionTreeLevel4",
    "CollectionTreeLevel4Type",
    "CollectionTreeType",
    "CollectionType",
    "CreateCharacterRequest",
    "CreateCollectionRequest",
    "CreateEntityRequest",
    "CreateEntityRequestType",
    "CreateTagRequest",
    "Entity",
    "EntityListResponse",
    "EntityResponse",
    "EntityType",
    "Error",
    "ErrorResponse",
    "ErrorType",
    "FavoriteAssetResponse",
    "FileAcl",
    "FileAclDefault",
    "FileAclRequest",
    "FileAclRequestDefault",
    "LineageAssetNode",
    "LineageAssetNodeKind",
    "LineageAssetNodeType",
    "LineageEdge",
    "LineageEdgeEntity",
    "LineageEdgeEntityEntityType",
    "LineageEdgeKind",
    "LineageEdgeRoleType0",
    "LineageEntityNode",
    "LineageEntityNodeEntityType",
    "LineageEntityNodeKind",
    "LineageExternalInputNode",
    "LineageExternalInputNodeKind",
    "LineageRequestNode",
    "LineageRequestNodeKind",
    "ListAssetCollectionAssetsMediaTypeType0Item",
    "ListAssetCollectionAssetsSection",
    "ListAssetCollectionAssetsSourceType0Item",
    "ListAssetCollectionAssetsTagMode",
    "ListAssetEntitiesTypesType0Item",
    "ListAssetsMediaTypeType0Item",
    "ListAssetsSection",
    "ListAssetsSourceType0Item",
    "ListAssetsTagMode",
    "MoveCollectionRequest",
    "SetAssetTagsRequest",
    "SignedUrlResponse",
    "SignFileUrlRequest",
    "StorageSettings",
    "StorageSettingsAclRequestType0",
    "StorageSettingsAclRequestType0Default",
    "StorageSettingsAclType0",
    "StorageSettingsAclType0Default",
    "SuccessResponse",
    "Tag",
    "TagListResponse",
    "TagResponse",
    "UpdateCharacterRequest",
    "UpdateCollectionRequest",
    "UpdateEntityRequest",
    "UpdateStorageSettingsRequest",
    "UpdateTagRequest",
    "UploadAssetRequest",
    "UploadAssetRequestType",
)
