"""Every table, imported once so that SQLModel.metadata (and Alembic) sees the whole schema."""

from dam_app.accounts.models import ApiToken, AuthSession, LoginThrottle, Role, User
from dam_app.assets.models import Asset, Rendition, RightsRecord, Version
from dam_app.audit.models import AuditEvent
from dam_app.boards.models import Board, BoardColumn, Card, CardEvent
from dam_app.catalog.models import Campaign, Channel, ContentType, Market, Phase
from dam_app.comments.models import Comment, CommentEdit, CommentMention, CommentPlacement
from dam_app.diff.models import DiffImage, VersionDiff
from dam_app.notify.models import AlertChannel, AlertDelivery, AlertOutbox, AlertPrefs, Watch
from dam_app.processing.models import JobRun
from dam_app.review.compliance_models import ComplianceCheck, Finding, FindingException, RulePack
from dam_app.review.models import Approval
from dam_app.rights.models import MarketVerdict
from dam_app.search.models import ClipEmbedding, NearDuplicate, SearchDocument, SearchPassage, VisualSignature
from dam_app.storage.models import Blob
from dam_app.tagging.models import AssetTag, ImageText, Tag

__all__ = [
    "AlertChannel",
    "AlertDelivery",
    "AlertOutbox",
    "AlertPrefs",
    "ApiToken",
    "Approval",
    "Asset",
    "AssetTag",
    "AuditEvent",
    "AuthSession",
    "Blob",
    "Board",
    "BoardColumn",
    "Campaign",
    "Card",
    "CardEvent",
    "Channel",
    "ClipEmbedding",
    "Comment",
    "CommentEdit",
    "CommentMention",
    "CommentPlacement",
    "ComplianceCheck",
    "ContentType",
    "DiffImage",
    "Finding",
    "FindingException",
    "ImageText",
    "JobRun",
    "LoginThrottle",
    "Market",
    "MarketVerdict",
    "NearDuplicate",
    "Phase",
    "Rendition",
    "RightsRecord",
    "Role",
    "RulePack",
    "SearchDocument",
    "SearchPassage",
    "Tag",
    "User",
    "Version",
    "VersionDiff",
    "VisualSignature",
    "Watch",
]
