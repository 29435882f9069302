"""The API's shapes. Every field is listed explicitly, for input and for output: an email address
has no field to leak through."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from dateline.comments.forms import CommentForm
from dateline.comments.models import BODY_MAX, EMAIL_MAX, NAME_MAX, URL_MAX, Comment
from dateline.comments.services import comment_policy_for
from dateline.core.converters import ID_MAX
from dateline.news.models import ArticlePage, Author, SectionPage, Tag
from dateline.news.rendering import absolute, body_html


def _base(context: dict[str, Any]) -> str:
    request = context["request"]
    return f"{request.scheme}://{request.get_host()}"


class SectionSerializer(serializers.Serializer[SectionPage]):
    slug = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    url = serializers.SerializerMethodField()

    def get_url(self, obj: SectionPage) -> str:
        return absolute(_base(self.context), obj.url or "/")


class AuthorSerializer(serializers.Serializer[Author]):
    slug = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    role = serializers.CharField(read_only=True)
    bio = serializers.CharField(read_only=True)
    url = serializers.SerializerMethodField()

    def get_url(self, obj: Author) -> str:
        return absolute(_base(self.context), obj.get_url())


class TagSerializer(serializers.Serializer[Tag]):
    slug = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class CorrectionSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField(read_only=True)
    noted_at = serializers.DateTimeField(read_only=True)
    text = serializers.CharField(read_only=True)


class ArticleSerializer(serializers.Serializer[ArticlePage]):
    id = serializers.IntegerField(read_only=True)
    headline = serializers.CharField(source="title", read_only=True)
    standfirst = serializers.CharField(read_only=True)
    dateline = serializers.CharField(source="dateline_place", read_only=True)
    language = serializers.CharField(read_only=True)
    url = serializers.SerializerMethodField()
    section = serializers.SerializerMethodField()
    authors = serializers.SerializerMethodField()
    first_published_at = serializers.DateTimeField(read_only=True)
    last_published_at = serializers.DateTimeField(read_only=True)
    comment_count = serializers.IntegerField(read_only=True)
    comments_open = serializers.SerializerMethodField()

    def get_url(self, obj: ArticlePage) -> str:
        return absolute(_base(self.context), obj.get_url() or "/")

    def get_section(self, obj: ArticlePage) -> str | None:
        return obj.section.slug if obj.section else None

    def get_authors(self, obj: ArticlePage) -> list[str]:
        return [entry.author.slug for entry in obj.byline.all()]

    def get_comments_open(self, obj: ArticlePage) -> bool:
        return obj.comments_open()


class ArticleDetailSerializer(ArticleSerializer):
    body_html = serializers.SerializerMethodField()
    tags = serializers.SerializerMethodField()
    corrections = serializers.SerializerMethodField()

    def get_body_html(self, obj: ArticlePage) -> str:
        return body_html(obj, base=_base(self.context))

    def get_tags(self, obj: ArticlePage) -> list[str]:
        return [t.slug for t in obj.tags.all()]

    def get_corrections(self, obj: ArticlePage) -> list[dict[str, Any]]:
        return CorrectionSerializer(
            sorted(obj.corrections.all(), key=lambda c: c.noted_at), many=True
        ).data


class CommentSerializer(serializers.Serializer[Comment]):
    """A public comment: the name, never the email address."""

    id = serializers.IntegerField(read_only=True)
    article = serializers.IntegerField(source="article_id", read_only=True)
    parent = serializers.IntegerField(source="parent_id", read_only=True, allow_null=True)
    depth = serializers.IntegerField(read_only=True)
    author_name = serializers.CharField(read_only=True)
    author_url = serializers.CharField(read_only=True)
    is_staff = serializers.BooleanField(read_only=True)
    body = serializers.CharField(read_only=True)
    body_html = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField(read_only=True)
    edited_at = serializers.DateTimeField(read_only=True, allow_null=True)
    featured = serializers.SerializerMethodField()
    likes = serializers.IntegerField(source="likes_count", read_only=True)

    def get_body_html(self, obj: Comment) -> str:
        from dateline.comments.bodies import comment_body_html

        return str(comment_body_html(obj))

    def get_featured(self, obj: Comment) -> bool:
        return obj.featured_at is not None


class CommentCreateSerializer(serializers.Serializer[Any]):
    """What a reader sends: the comment form's fields, checked by the same form."""

    comment = serializers.CharField(max_length=BODY_MAX, trim_whitespace=False, allow_blank=True)
    author = serializers.CharField(max_length=NAME_MAX, required=False, allow_blank=True)
    email = serializers.CharField(max_length=EMAIL_MAX, required=False, allow_blank=True)
    url = serializers.CharField(max_length=URL_MAX, required=False, allow_blank=True)
    # 0 or absent: not a reply. Checked again as an id by the form (core.converters.parse_id).
    parent = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=ID_MAX
    )
    idempotency_key = serializers.CharField(max_length=64, required=False, allow_blank=True)
    subscribe = serializers.BooleanField(required=False, default=False)
    nudge = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Ask first: when the text may break the community guidelines, answer 400 "
        "with the note in `nudge` and store nothing; send it again without `nudge` to post it "
        "as it is.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        article: ArticlePage = self.context["article"]
        signed_in = self.context["request"].user.is_authenticated
        form = CommentForm(
            {
                "comment": attrs.get("comment", ""),
                "author": attrs.get("author", ""),
                "email": attrs.get("email", ""),
                "url": attrs.get("url", ""),
                "comment_post_ID": article.pk,
                "comment_parent": attrs.get("parent") or 0,
                "comment_key": attrs.get("idempotency_key", ""),
            },
            signed_in=signed_in,
            require_identity=comment_policy_for(article).require_name_email,
        )
        if not form.is_valid():
            names = {"comment_parent": "parent", "comment_key": "idempotency_key"}
            raise serializers.ValidationError(
                {names.get(k, k): [str(e) for e in v] for k, v in form.errors.items()}
            )
        return {**attrs, **{k: form.cleaned_data[k] for k in ("comment", "author", "email", "url")}}


class CommentCreatedSerializer(CommentSerializer):
    status = serializers.CharField(read_only=True)
    token = serializers.CharField(
        read_only=True,
        help_text="Proves authorship: lets its author see, edit and delete the comment for a while.",
    )


class ModerationSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500)


class ModeratedCommentSerializer(CommentSerializer):
    status = serializers.CharField(read_only=True)
    moderation_reasons = serializers.JSONField(read_only=True)
    reports_count = serializers.IntegerField(read_only=True)
