"""The words demo cases are made of: people's names, complaint summaries and points per service."""

FIRST_NAMES = (
    "Amelia",
    "Oliver",
    "Isla",
    "George",
    "Ava",
    "Noah",
    "Mia",
    "Arthur",
    "Grace",
    "Leo",
    "Freya",
    "Muhammad",
    "Sophia",
    "Harry",
    "Lily",
    "Jack",
    "Priya",
    "Tomasz",
    "Aisha",
    "Kwame",
    "Siobhan",
    "Rhys",
    "Chloe",
    "Daniel",
    "Fatima",
    "Ewan",
    "Hannah",
    "Joseph",
    "Zara",
    "Callum",
)
SURNAMES = (
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Patel",
    "Robinson",
    "Wright",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
    "Khan",
    "Nowak",
    "Okafor",
    "Murphy",
    "Hughes",
    "Edwards",
    "Clarke",
    "Ahmed",
    "Lewis",
    "Price",
)

# (summary, [possible complaint points]) by the kind of service a team provides.
CHILDREN_MATTERS = (
    (
        "Concerns about how my child's child protection plan was handled",
        [
            "The social worker did not visit as often as the plan said",
            "Core group meeting minutes were not shared with the family",
            "Decisions were made without listening to my child's views",
        ],
    ),
    (
        "Our family was not kept informed during the assessment",
        [
            "Calls and e-mails to the social worker were not returned",
            "The assessment was not shared before the meeting",
            "The family was given wrong information about contact arrangements",
        ],
    ),
    (
        "Delay in arranging support for our disabled son",
        [
            "The short breaks assessment took months to arrange",
            "Direct payments were stopped without notice",
            "The transport arrangement to school broke down",
        ],
    ),
    (
        "A young person in care unhappy with their placement move",
        [
            "I was not told about the move in advance",
            "My belongings were not moved with me",
            "My personal adviser changed three times",
        ],
    ),
)
CORPORATE_MATTERS = (
    (
        "Missed bin collections on our street",
        [
            "Recycling bin missed four weeks running",
            "Reports made online were closed without action",
        ],
    ),
    (
        "Pothole damage to my car and the handling of my claim",
        [
            "The pothole was reported but not repaired",
            "The claim form was lost and no reply was received",
        ],
    ),
    (
        "Council tax arrears letter sent in error",
        [
            "A reminder was sent although the direct debit was paid",
            "The phone adviser was dismissive",
        ],
    ),
    (
        "Delay in deciding a planning application next door",
        [
            "The neighbour notification letter never arrived",
            "The decision was made after the published target date",
        ],
    ),
    (
        "The library's opening hours changed without notice",
        ["The website was not updated", "No consultation with regular users"],
    ),
)
ADULT_MATTERS = (
    (
        "My mother's care package was reduced without a review",
        [
            "The hours of home care were cut without a reassessment",
            "The family was not told of the change",
        ],
    ),
    (
        "Charges for residential care were calculated wrongly",
        [
            "The financial assessment ignored disability-related expenses",
            "The invoice arrived with no explanation",
        ],
    ),
    (
        "Carers repeatedly late for my father's visits",
        [
            "Morning visits often more than an hour late",
            "The care agency did not answer the phone",
        ],
    ),
)
COMPLIMENTS = (
    "Thank you to the social worker who supported our family through a difficult time",
    "The bin crew went out of their way to help my elderly neighbour",
    "Very helpful and patient adviser at the contact centre",
    "The library's summer reading challenge was wonderful for my children",
    "Grateful thanks to the occupational therapist for the home adaptations",
)
COMMENTS = (
    "Suggestion: the online form should let me upload photos",
    "The new opening hours at the recycling centre work well for us",
)
QUESTIONS = (
    "How do I apply for a residents' parking permit?",
    "Which school admissions round applies to my daughter?",
)
ACTIONS = (
    "Remind the team to return calls within one working day",
    "Review how missed visits are recorded and escalated",
    "Update the website's guidance on collection days",
    "Train duty staff on the complaints procedure",
    "Check every open care plan has a named contact",
    "Write to the family confirming the revised support plan",
)
LESSONS = (
    "Tell families promptly when a visit has to be moved",
    "Keep the complainant updated when a response will be late",
    "Record the reason for every change of social worker",
    "Confirm in writing what was agreed at a meeting",
)
EXTENSION_REASONS = (
    "The investigating officer needs to see records held by another agency",
    "Key staff were on leave; the complainant agreed more time",
    "New information came to light during the investigation",
)
