"""The versioned read API and comment creation. Each view parses input, calls one selector or
service, responds. Comments are created by the same service as the form, under the same rules."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import generics, permissions, serializers, status
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from dateline.comments.errors import CommentError, Nudged
from dateline.comments.models import Comment
from dateline.comments.ownership import own_token
from dateline.comments.selectors import access_comment
from dateline.comments.services import MODERATION_ACTIONS, comment_post
from dateline.comments.submissions import submission_from_request, submission_nudged
from dateline.core.errors import ServiceError
from dateline.core.net import same_origin
from dateline.moderation.desk import desk_decide
from dateline.moderation.desk_selectors import access_comment_for_moderator, moderatable_comments
from dateline.news.models import ArticlePage, Author, SectionPage, Tag
from dateline.news.selectors import article_cards, live_article, public, section_menu

from . import serializers as s

_DIGITS = re.compile(r"[0-9]{1,10}")
ERROR = inline_serializer("Error", {"detail": serializers.CharField()})
VALIDATION = OpenApiResponse(
    OpenApiTypes.OBJECT, description="The input was refused; the fields with their messages."
)


# The form's field names as the API spells them.
API_FIELDS = {"comment_parent": "parent"}


def refused(exc: ServiceError) -> Response:
    """A service's refusal as JSON: a field's error as ``{field: [message]}`` (400), anything
    else as ``{"detail": message}`` with its status, and ``retry_after`` with the header."""
    if isinstance(exc, Nudged):
        return Response({"detail": exc.message, "nudge": exc.nudge}, status=exc.status)
    if exc.field and exc.status == 400:
        return Response({API_FIELDS.get(exc.field, exc.field): [exc.message]}, status=exc.status)
    body: dict[str, Any] = {"detail": exc.message}
    if exc.retry_after:
        body["retry_after"] = exc.retry_after
    return Response(body, status=exc.status, headers=exc.headers())


class Pages(PageNumberPagination):
    """Page-number paging whose bounds are checked and published from the same numbers, so the
    OpenAPI document says what a request may ask for (``page_size=0`` is a 400 in both)."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    max_page = 10**9

    def _number(self, request: Request, name: str, high: int) -> int | None:
        """A query parameter that must be one whole number from 1 to ``high``, or absent."""
        values = request.query_params.getlist(name)
        if not values:
            return None
        if len(values) > 1 or not _DIGITS.fullmatch(values[0]) or not 1 <= int(values[0]) <= high:
            raise ValidationError({name: [f"A whole number from 1 to {high}."]})
        return int(values[0])

    def get_page_size(self, request: Request) -> int:
        return (
            self._number(request, self.page_size_query_param, self.max_page_size) or self.page_size
        )

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> Any:
        # Malformed or out of bounds: 400; past the last page: 404 (Django's paginator).
        self._number(request, self.page_query_param, self.max_page)
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        bounds = {
            self.page_query_param: {"minimum": 1, "maximum": self.max_page},
            self.page_size_query_param: {
                "minimum": 1,
                "maximum": self.max_page_size,
                "default": self.page_size,
            },
        }
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"] = {**parameter["schema"], **bounds.get(parameter["name"], {})}
        return parameters


class PublicCacheMixin:
    """Anonymous reads may be kept by caches for a minute; anything else is private."""

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        if (
            request.method in ("GET", "HEAD")
            and response.status_code == 200
            and not request.user.is_authenticated
        ):
            response["Cache-Control"] = "public, max-age=60"
        else:
            response["Cache-Control"] = "private, no-store"
        return response


class ReadOnly(PublicCacheMixin, generics.GenericAPIView):
    permission_classes = [permissions.AllowAny]
    pagination_class: type[Pages] | None = Pages


NOT_FOUND = {400: VALIDATION, 404: ERROR}


@extend_schema(
    parameters=[
        OpenApiParameter("section", str, description="A section's slug."),
        OpenApiParameter("tag", str, description="A tag's slug."),
        OpenApiParameter("author", str, description="An author's slug."),
    ],
    responses={200: s.ArticleSerializer(many=True), **NOT_FOUND},
)
class ArticleList(ReadOnly, generics.ListAPIView):
    """Published articles, newest first."""

    serializer_class = s.ArticleSerializer

    def get_queryset(self) -> QuerySet[ArticlePage]:
        qs = article_cards()
        params = self.request.query_params
        if params.get("section"):
            qs = qs.filter(section__slug=params["section"])
        if params.get("tag"):
            qs = qs.filter(tagged_items__tag__slug=params["tag"])
        if params.get("author"):
            qs = qs.filter(byline__author__slug=params["author"])
        return qs


@extend_schema(responses={200: s.ArticleDetailSerializer, **NOT_FOUND})
class ArticleDetail(ReadOnly, generics.RetrieveAPIView):
    """One published article with its body, tags and corrections."""

    serializer_class = s.ArticleDetailSerializer

    def get_queryset(self) -> QuerySet[ArticlePage]:
        return article_cards().prefetch_related("tags", "corrections")


@extend_schema(responses={200: s.SectionSerializer(many=True), **NOT_FOUND})
class SectionList(ReadOnly, generics.ListAPIView):
    serializer_class = s.SectionSerializer
    pagination_class = None

    def get_queryset(self) -> Any:
        return section_menu()


@extend_schema(responses={200: s.SectionSerializer, **NOT_FOUND})
class SectionDetail(ReadOnly, generics.RetrieveAPIView):
    serializer_class = s.SectionSerializer
    lookup_field = "slug"

    def get_queryset(self) -> Any:
        return public(SectionPage.objects.live())


@extend_schema(responses={200: s.AuthorSerializer(many=True), **NOT_FOUND})
class AuthorList(ReadOnly, generics.ListAPIView):
    serializer_class = s.AuthorSerializer
    queryset = Author.objects.order_by("name")


@extend_schema(responses={200: s.AuthorSerializer, **NOT_FOUND})
class AuthorDetail(ReadOnly, generics.RetrieveAPIView):
    serializer_class = s.AuthorSerializer
    queryset = Author.objects.all()
    lookup_field = "slug"


@extend_schema(responses={200: s.TagSerializer(many=True), **NOT_FOUND})
class TagList(ReadOnly, generics.ListAPIView):
    """Tags of published articles."""

    serializer_class = s.TagSerializer

    def get_queryset(self) -> Any:
        live = public(ArticlePage.objects.live()).values("pk")
        return (
            Tag.objects.filter(news_articletag_items__content_object__in=live)
            .distinct()
            .order_by("name")
        )


def _article(pk: int) -> ArticlePage:
    article = live_article(pk)
    if article is None:
        raise Http404
    return article


class ArticleComments(PublicCacheMixin, generics.GenericAPIView):
    """An article's approved comments in thread order; and posting a new one."""

    pagination_class = Pages
    serializer_class = s.CommentSerializer
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses={200: s.CommentSerializer(many=True), **NOT_FOUND})
    def get(self, request: Request, pk: int) -> Response:
        article = _article(pk)
        comments = Comment.objects.filter(article=article, status=Comment.Status.APPROVED).order_by(
            "path"
        )
        page = self.paginate_queryset(comments)
        return self.get_paginated_response(s.CommentSerializer(page, many=True).data)

    @extend_schema(
        request=s.CommentCreateSerializer,
        responses={
            201: s.CommentCreatedSerializer,
            200: s.CommentCreatedSerializer,
            400: VALIDATION,
            403: ERROR,
            404: ERROR,
            429: ERROR,
            503: ERROR,
        },
        description="Post a comment, screened by the same rules as the form. With `nudge: true`, a text the abusive-language filter flags is handed back (400, `nudge`) before anything is stored. A retry with the same text or idempotency key answers 200 with the comment stored the first time. Too many comments answer 429 with Retry-After (seconds).",
    )
    def post(self, request: Request, pk: int) -> Response:
        if request.headers.get("Origin") is not None and not same_origin(request._request):
            raise PermissionDenied("Comments cannot be posted from another site.")
        article = _article(pk)
        data = s.CommentCreateSerializer(
            data=request.data, context={"request": request, "article": article}
        )
        data.is_valid(raise_exception=True)
        values = data.validated_data
        user = request.user
        submission = submission_from_request(
            request._request,
            user=user,
            article=article,
            name=values.get("author", ""),
            email=values.get("email", ""),
            url=values.get("url", ""),
            body=values["comment"],
            parent_id=values.get("parent") or None,
            idempotency_key=values.get("idempotency_key", ""),
            notify=values.get("subscribe", False),
        )
        try:
            if values.get("nudge") and submission_nudged(submission, acknowledged=False):
                raise Nudged
            result = comment_post(submission=submission)
        except CommentError as exc:
            # A database that does not answer is core.middleware's (JSON 503, Retry-After).
            return refused(exc)
        comment = result.comment
        body = {
            **s.CommentSerializer(comment).data,
            # Spam reads as pending to its author (as on the form): a robot learns nothing.
            "status": comment.status if comment.status == Comment.Status.APPROVED else "pending",
            "token": own_token(comment.pk) if result.authored_here else None,
        }
        return Response(
            body, status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
        )


@extend_schema(responses={200: s.CommentSerializer, **NOT_FOUND})
class CommentDetail(ReadOnly, generics.RetrieveAPIView):
    """One published comment of a public article."""

    serializer_class = s.CommentSerializer

    def get_object(self) -> Comment:
        # The same gate as every reader's route to a comment (comments.selectors).
        comment = access_comment(comment_id=self.kwargs["pk"])
        if comment is None:
            raise Http404
        return comment


# --- Staff ---------------------------------------------------------------------------------------


class CanModerate(permissions.BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(
            request.user
            and request.user.is_authenticated
            and request.user.has_perm("comments.change_comment")
        )


class StaffView(PublicCacheMixin):
    # Token, or a session with Django's CSRF check (DRF enforces it for SessionAuthentication).
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [CanModerate]


@extend_schema(
    parameters=[OpenApiParameter("status", str, enum=["pending", "approved", "spam", "trash"])],
    responses={200: s.ModeratedCommentSerializer(many=True), 401: ERROR, 403: ERROR, **NOT_FOUND},
)
class ModerationQueue(StaffView, generics.ListAPIView):
    """Comments by status, oldest first (staff)."""

    serializer_class = s.ModeratedCommentSerializer
    pagination_class = Pages

    def get_queryset(self) -> QuerySet[Comment]:
        wanted = self.request.query_params.get("status", "pending")
        if wanted not in Comment.Status.values:
            raise ValidationError({"status": [f"One of {', '.join(Comment.Status.values)}."]})
        # A moderator limited to sections sees only their sections' comments.
        return (
            moderatable_comments(user=self.request.user)
            .filter(status=wanted)
            .order_by("created_at", "pk")
        )


class ModerateComment(StaffView, APIView):
    @extend_schema(
        request=s.ModerationSerializer,
        responses={
            200: s.ModeratedCommentSerializer,
            400: ERROR,
            401: ERROR,
            403: ERROR,
            404: ERROR,
        },
    )
    def post(self, request: Request, pk: int, action: str) -> Response:
        """Approve, hold, mark as spam or trash a comment (staff)."""
        if action not in MODERATION_ACTIONS:
            return Response(
                {"detail": f"Unknown action; use one of {', '.join(MODERATION_ACTIONS)}."},
                status=400,
            )
        # 404 for comments outside the moderator's sections too: don't reveal which ids exist.
        comment = access_comment_for_moderator(user=request.user, comment_id=pk)
        if comment is None:
            raise Http404
        reason = s.ModerationSerializer(data=request.data)
        reason.is_valid(raise_exception=True)
        # The desk's own service: the same log, counts, purge, signal and notifications.
        comment = desk_decide(
            comment=comment,
            action=action,
            actor=request.user,
            reason=reason.validated_data.get("reason", ""),
        )
        return Response(s.ModeratedCommentSerializer(comment).data)
