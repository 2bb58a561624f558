"""Pages anyone may use without an account: the unique identifier check and certificate
verification (by code)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .. import rules, services
from ..forms import IDENTIFIER_INPUT_MAX, IdentifierCheckForm, VerifyForm
from ..models import Certificate
from ..models.certificates import HOLDER_NAME_MAX, normalise_code
from ..pdf import certificate_pdf


@require_GET
def identifier_check(request):
    """ "Check a unique identifier": any input, of any length or alphabet, is explained.
    The rule is core.identifiers' (shared with consultations)."""
    from core.identifiers import check_identifiers

    # core reads at most its own limit of characters and identifiers, and says so.
    text = request.GET.get("identifiers", "")
    form = IdentifierCheckForm(initial={"identifiers": text[:IDENTIFIER_INPUT_MAX]})
    asked = bool(text.strip())
    return render(
        request,
        "courses/identifier_check.html",
        {
            "form": form,
            "results": check_identifiers(text) if asked else [],
            "asked": asked,
        },
    )


@require_GET
def verify(request):
    """The verification form; a code goes to its certificate's page."""
    if "code" in request.GET:
        form = VerifyForm(request.GET)
        if form.is_valid():
            code = normalise_code(form.cleaned_data["code"])
            if Certificate.objects.filter(code=code).exists():
                return redirect("courses:certificate", code=code)
            form.add_error(
                "code",
                _("No certificate has this code. Check the code as printed on the certificate."),
            )
        return render(request, "courses/verify.html", {"form": form}, status=404)
    return render(request, "courses/verify.html", {"form": VerifyForm()})


@require_GET
def certificate_detail(request, code):
    certificate = Certificate.objects.filter(code=normalise_code(code)).first()
    if certificate is None:
        form = VerifyForm(initial={"code": code[:60]})
        return render(
            request,
            "courses/verify.html",
            {
                "form": form,
                "unknown": _(
                    "No certificate has the code %(code)s. Check the code as printed on "
                    "the certificate."
                )
                % {"code": code[:60]},
            },
            status=404,
        )
    return render(
        request,
        "courses/certificate.html",
        {
            "certificate": certificate,
            "is_holder": rules.can_download_certificate(request.user, certificate),
            "verify_url": request.build_absolute_uri(),
            "holder_name_max": HOLDER_NAME_MAX,
        },
    )


@require_POST
def certificate_name(request, code):
    """The holder gives the name to print on a certificate issued without one."""
    certificate = get_object_or_404(Certificate, code=normalise_code(code))
    try:
        services.certificate_name_set(
            user=request.user,
            certificate=certificate,
            holder_name=request.POST.get("holder_name", ""),
        )
    except PermissionDenied:
        raise Http404 from None  # as for the PDF: others learn nothing about the holder
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("courses:certificate", code=certificate.code)


@require_GET
def certificate_download(request, code):
    certificate = get_object_or_404(Certificate, code=normalise_code(code))
    if not rules.can_download_certificate(request.user, certificate):
        raise Http404
    if not certificate.holder_name:
        # Nothing is printed before the holder says what name to print (never the address).
        messages.info(request, _("Please enter the name to print on your certificate."))
        return redirect("courses:certificate", code=certificate.code)
    from django.urls import reverse

    verify_url = request.build_absolute_uri(
        reverse("courses:certificate", kwargs={"code": certificate.code})
    )
    response = HttpResponse(
        certificate_pdf(certificate, verify_url=verify_url), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.code}.pdf"'
    return response
