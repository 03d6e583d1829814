"""The user guide in the portal: a chapter per role (docs/panduan/<lang>/*.md) and its screenshots."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from . import guide


@require_GET
def guide_index(request: HttpRequest) -> HttpResponse:
    return redirect(guide.chapter_url("index"))


@require_GET
def guide_page(request: HttpRequest, lang: str, chapter: str) -> HttpResponse:
    found = guide.chapter_by_file(lang, chapter)
    if found is None:
        raise Http404
    rendered = guide.render_chapter(found, lang)
    other = "en" if lang == "id" else "id"
    return render(
        request,
        "guide/chapter.html",
        {
            "chapter": found,
            "guide_lang": lang,
            "rendered": rendered,
            "chapters": [(c, guide.chapter_url(c.key, lang)) for c in guide.CHAPTERS.values()],
            "other_lang": other,
            "other_url": guide.chapter_url(found.key, other),
            "breadcrumbs": [(guide.CHAPTERS["index"].title, guide.chapter_url("index", lang)), (found.title, None)]
            if found.key != "index"
            else [(found.title, None)],
        },
    )


@require_GET
@cache_control(max_age=3600, private=True)
def guide_image(request: HttpRequest, lang: str, name: str) -> FileResponse:
    path = guide.image_path(lang, name)
    if path is None:
        raise Http404
    response = FileResponse(path.open("rb"), content_type="image/png")
    response["X-Content-Type-Options"] = "nosniff"
    return response
