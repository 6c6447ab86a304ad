"""Promoted results (best bets) are Wagtail's search promotions, with two things ours need:
the query is folded our way when saved (a promotion for "Sổ đỏ" answers "so do", "GPXD"
answers "gpxd"), and a promotion may be limited to one province's searches (PromotionScope).

Wagtail's add and edit screens are kept (templates, ordering, the query chooser, the audit
log); their views are subclassed with this form and registered ahead of Wagtail's own at the
same addresses (search.wagtail_hooks), so every link of Wagtail's screens leads here."""

from django import forms
from django.forms.models import inlineformset_factory
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import AdminPageChooser
from wagtail.contrib.search_promotions import views
from wagtail.contrib.search_promotions.forms import SearchPromotionForm, SearchPromotionsFormSet
from wagtail.contrib.search_promotions.models import Query, SearchPromotion

from catalog.models import ProcedurePage, ProvincePage

from . import text
from .models import PromotionScope


class ScopedPromotionForm(SearchPromotionForm):
    """One promoted procedure, optionally for one province's searches only."""

    province = forms.ModelChoiceField(
        queryset=ProvincePage.objects.order_by("title"),
        required=False,
        label=_("Chỉ áp dụng cho tỉnh"),
        help_text=_("Để trống: áp dụng cho mọi lượt tìm có thủ tục này."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["page"].widget = AdminPageChooser(target_models=[ProcedurePage])
        self.fields["page"].label = _("Thủ tục")
        scope = PromotionScope.objects.filter(promotion_id=self.instance.pk).first()
        self.fields["province"].initial = scope.province_id if scope else None

    def clean(self):
        cleaned_data = super().clean()
        page = cleaned_data.get("page")
        if page is not None and not ProcedurePage.objects.filter(pk=page.pk).exists():
            self.add_error("page", _("Chỉ chọn một trang thủ tục."))
        return cleaned_data

    def save(self, commit: bool = True) -> SearchPromotion:
        promotion = super().save(commit=commit)
        if commit:
            province = self.cleaned_data.get("province")
            if province is None:
                PromotionScope.objects.filter(promotion=promotion).delete()
            else:
                PromotionScope.objects.update_or_create(
                    promotion=promotion, defaults={"province": province}
                )
        return promotion


ScopedPromotionsFormSet = inlineformset_factory(
    Query,
    SearchPromotion,
    form=ScopedPromotionForm,
    formset=SearchPromotionsFormSet,
    can_order=True,
    can_delete=True,
    extra=0,
)


class ScopedPromotionsMixin:
    """The query is saved folded; the promotions come with their province."""

    def is_valid(self, form) -> bool:
        if form.is_valid():
            folded = text.fold(form.cleaned_data["query_string"])
            if not folded:
                form.add_error("query_string", _("Câu tìm kiếm cần có chữ hoặc số."))
                return False
            form.cleaned_data["query_string"] = folded
        return super().is_valid(form)

    @cached_property
    def searchpicks_formset(self):
        data = self.request.POST if self.request.method == "POST" else None
        return ScopedPromotionsFormSet(data, instance=self.object)


class CreateView(ScopedPromotionsMixin, views.CreateView):
    pass


class EditView(ScopedPromotionsMixin, views.EditView):
    pass
