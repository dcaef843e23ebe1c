//! The words newsroom-shaped synthetic desks are made of: the shipped
//! article's own words, most frequent first (their rank is their weight),
//! so common words are common as in real text; the names, numbers and dates
//! that make a newsroom's vocabulary grow are made in `newsroom.rs`.

/// The Arabic words of the shipped article, most frequent first.
pub const ARABIC: &str = "\
في من على ألبانيا إلى أن إيران التي تيرانا مع \
الهجوم الهجمات العلاقات الذي هجوم إلكتروني ضد إن الألبانية طهران \
البند حلف هذه الدبلوماسية يوليو تموز الإلكتروني الحلف الولايات بعد \
حلفاء ألبانيا، شمال لهجوم وفي وزارة نفس الإلكترونية، إيران، الدول \
وقال بشدة بـ الحكومة هذا مجاهدي خلق الشرطة الإيرانية التحتية \
قطع بين الأطلسي، تعرض نظام بما بسبب بيان الناتو الأعضاء \
ذلك وقالت سلوك المتحدة دولة معاهدة عضو عناصر أرشيف الإلكترونية \
والتي واشنطن، بمساعدتها مواجهة هجمات العضو الناتو، السبت، اتهمت بتنفيذه، \
بيان، الألبانية، الحدودية الإيراني البلاد مضيفة الماضي النتائج فيها إدارة \
المعلومات الشامل حركة عند الحلفاء عقوبات وكانت و ناتو، الإلكتروني، \
الأفعال زعزعة تهدف الخارجية الخدمات العامة الآخرين غير ومن مجلس \
قرار وعلى إثر المتحدة، عبر الإنترنت واشنطن الخزانة الأمريكية المسؤول \
السلم الفضاء عن لإيران البيت الأبيض باسم القومي الخامس وجود \
قبل الأطلسي أي يستهدف الأمر إرهابية منظمة بالقرب السفارة تهديد \
محتمل إيراني الإثنين سبتمبر ثان هل يتحرك إيران؟ إعداد شادية \
سرحان أثارت البنية لألبانيا أدت البلدين، ردود فعل قوية، حيث \
هددت أقرب بتفعيل الخامس، حين وعد مماثلة المستقبل وبعدما حذر \
مسؤولون غربيون، تكرار الهجمات، أعلنت شرطتها جديد فهل ينفذ وعودهم \
ومعاقبة الإلكترونية؟ قالت الداخلية أحد أنظمتها جاء المصدر شن هجوماً \
سابقاً ودفع اكتشف إرسال للشرطة يتعرض مشابه لذلك تعرضت له \
البوابة الحكومية، وتابعت قائلة الأولية تظهر ارتكب الجهة السلطات أغلقت \
مؤقتاً جميع الأنظمة، يسجل الدخول والخروج المعابر وبدوره، كتب رئيس \
الوزراء إدي راما تويتر، قائلاً آخر المعتدين، كُشف واستنكره بالفعل \
والدول الصديقة، شوهد الليلة الماضية مضيفاً المسؤولين ينسقون العمل الدفاعي \
ويشار قطعت الأربعاء الماضي، وطردت دبلوماسييها خطوة أيدتها ففرضت بدورها \
حليفتها أول حالة معروفة لدولة تقطع أخرى ندد بدوره بالهجوم \
متعهداً بتعزيز التعاون فيه ترمي الاستقرار سنواصل تعزيز استعدادنا ودعم \
بعضنا البعض للدفاع التهديدات السيبرانية، النظر الردود الجماعية المحتملة نحن \
متضامنون الأخيرة استهدفت بناها وأضافت ندين الخبيثة استقرار حليف وعرقلة \
الحياة اليومية لمواطنيه دعم أمريكي بريطاني وزير البريطاني جيمس كليفرلي \
تصرفات المتهورة أظهرت تجاهلًا واضحًا للشعب الألباني، وحدت قدرة المواطنين \
الوصول الأساسية كما وصف شريك مهم وأضاف نقف جانب والحلفاء \
فضح أفعال المقبولة ناحية أخرى، أدان الجمهوري لجنة الشيوخ الأمريكي، \
جيم ريش، تجيب هجماتها المدمرة، أؤيد بقطع محاسبة الهجوم، فرضت \
يوم الجمعة المخابرات والأمن شخصياً وزيرها إسماعيل الخطيب، بسسبب الاختراق \
وحلفائها يتجاهل قواعد الدولة أوقات تشمل الامتناع الإضرار بالبنى الحيوية \
توفر خدمات للعامة وتابع البيان الأمريكي لن نتسامح الأنشطة السيبرانية \
العدوانية المتزايدة تستهدف أو حلفاءنا وشركاءنا الأمريكية، أشارت جهات فاعلة \
بالفضاء السيبراني مدعومة ووزارتها للاستخبارات، هاجمت أنظمة الكمبيوتر للحكومة ما \
اضطر تعليق المقدمة لمواطنيها وأعلن أيضاً ستتخذ تدابير إضافية لمحاسبة \
للمتحدثة الأمن أدريين واتسون، تدين حليفتنا لافتة السياق الأمريكيين خلصوا \
تحقيق استمر أسابيع إلكترونية ضخمة قادت وأنها المسؤولة قرصنة وتسريب \
بيانات تلت ووصفت واتسون سابقة مقلقة مشيرة ينتهك القواعد تحكم \
مسؤولة زمن وأعلنت وقت لاحق، المتحدثة كارين جان بيار، إطار \
سيتّخذون قراراتهم السيادية حول كيفية الردّ احتمال تفعيل موضحة الوقت \
إجراءات متعدّدة اللجوء يفرض دول مجتمعة تردّ إحداها وبموجب المادة \
الخامسة فإنه العسكري مسلح، فإن يتعين كافة يعتبروا بمثابة عليهم، \
يستلزم ردهم الخامس؟ ووفق بواشنطن أبريل نيسان والمعروفة ينص الاعتداء \
يمثل اعتداءً كل الأعضاء، ويوجب الأخرى مساعدتها التصدي للهجمات ويظل \
الالتزام ملزماً ضمن اتفاقية للدفع المشترك، وذلك وفقًا لمعاهدة جانبها، \
أدانت العقوبات الجديدة فرضتها مشدّدة استند مزاعم لا أساس لها \
وذات دوافع سياسية أسباب ويقول محللون، كانت معاقبة لدعمها للمنظمة \
المصنفة تتهمها بالوقوف وراء الكثير والتفجيرات والعلاقات وإيران متوترة منذ \
استقبال حوالي المعارضة المنفى، والذين استقروا مخيم دوريس، الميناء الرئيسي \
وتنظم الحركة باستمرار مؤتمرات المجمع شيّدته قرب تيرانا، ويؤوي نحو \
آلاف المعارضين الإيرانيين المنفيين أرجأت اجتماعاً مخصصاً للدعوة تغيير النظام \
بناء توصيات لأسباب أمنية، وبسبب تهديدات ومؤامرات وقبل إلغاء المؤتمر، \
حذرت الأميركية بشكل منفصل للاجتماع حاضة مواطنيها تجنب الحدث وعدم \
لفت الأنظار تدرك القمة العالمية الحرة وفتحت النيابة تحقيقات شبكة \
تجسس محتملة، واستجوبت عدداً المشبوهين، لكنها لم تنشر سياق دعت \
وكالة أنباء فارس للحرس الثوري الإيراني، استهداف جماعة بطائرات دون \
طيار وصواريخ يونيو حزيران أحبط مخطط فيلبانت، باريس، للتجمع السنوي \
للمجلس الوطني للمقاومة الإيرانية، وهو تحالف المعارضين، يضم صفوفه وأوقفت \
البلجيكية زوجين بلجيكيين أصل وبحوزتهما غرام بيروكسيد الأسيتون المتفجر، وصاعق، \
سيارتهما، وتبين أنهما خططا للتفجير بتحريض دبلوماسي إيراني، اعتقل وسجن \
بلجيكا لاحقاً وهذه ليست المرة الأولى يندلع خلاف وإيران، فمنذ \
ديسمبر كانون الأول طردت دبلوماسيين إيرانيين بينهم السفير، متّهمةً إياهم \
أنشطة مضرة بالأمن";

/// The English words of the shipped claims' translations, most frequent first.
pub const ENGLISH: &str = "\
the and of a to in Albania on Iran that its cyberattack Iranian was \
with by attack for which an allies against relations NATO it Iran's states article \
attacks will cyberattacks Washington Tehran diplomatic Albanian July government We cyber United members after \
Albania's ally same including at over this other as infrastructure member police accused carrying \
one systems from sever system under all total condemned last expelled diplomats imposed sanctions \
our strongly citizens public services security responsible state not is treaty MEK near Tirana \
meeting has suffered second move led severing between countries invoking help similar officials warned \
been hit new out border country findings Information Management another are backed turn known \
support threats possible stand targeted these actions must Tirana's decision Ministry Intelligence norms peacetime \
behaviour cyberspace activities targeting described their respond before terrorist have since because about exiled \
opposition Mojahedin-e Khalq postponed calling regime change US potential threat national Belgian arrested Headline \
two provoked strong reactions closest threatened promised confront future Western repeating announced Saturday had \
came source launched previous pushed discovered dispatch portal e-albania Preliminary show committed party authorities \
temporarily shut down TIMS records entries exits crossings aggressors already exposed friendly seen night \
coordinating defensive work Wednesday severed first case continue strengthen preparedness each defending considering collective \
responses solidarity recent condemn malicious acts aim destabilise disrupt daily life reckless showed clear \
disregard people severely limited citizens' ability access essential exposing unacceptable answer destructive I Friday \
personally minister Esmail Khatib intrusion disregards include refraining damaging critical provides tolerate increasingly aggressive \
or partners Treasury said actors attacked government's computer forcing suspend online take further action \
hold accountable condemns weeks-long investigation following massive Americans concluded irresponsible hack-and-leak operations followed Watson \
troubling precedent conduct violates make own sovereign decisions how possibility She explained time there \
multiple steps resorting when military alliance suffers armed consider themselves requires them North Atlantic \
signed April any obliges repel obligation remains binding within collective-defence agreement according based baseless \
politically motivated allegations were meant punish supporting organisation designates accuses being behind many bombings \
tense took group settled camp Durr s country's main port movement regularly holds conferences \
compound built houses dedicated recommendation reasons plots conference cancelled Embassy separately urging avoid event \
keep low profile aware Free World Summit prosecutors opened investigations into spy network questioned \
number suspects but published Fars News Agency Revolutionary Guard called be drones missiles June \
plot annual rally Council Resistance Villepinte Paris foiled couple origin grams explosive acetone peroxide \
TATP detonator car emerged they planned bombing instigation diplomat who later imprisoned Belgium December \
ambassador years expulsion harmful He important partner";
