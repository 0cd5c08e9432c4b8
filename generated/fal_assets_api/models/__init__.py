"""Contains all the data models used in inputs/outputs"""

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
from .create_tag_request import CreateTagRequest
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
from .update_storage_settings_request import UpdateStorageSettingsRequest
from .update_tag_request import UpdateTagRequest
from .upload_asset_request import UploadAssetRequest
from .upload_asset_request_type import UploadAssetRequestType

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
    "CreateTagRequest",
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
    "UpdateStorageSettingsRequest",
    "UpdateTagRequest",
    "UploadAssetRequest",
    "UploadAssetRequestType",
)
